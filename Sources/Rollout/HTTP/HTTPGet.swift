import Foundation
import Synchronization

/// GET requests from the orchestrator: `http:` health checks, HTTP and Prometheus KPI sources.
///
/// What an endpoint can make the runner do is bounded, whatever it sends:
/// - **time**: `timeout` covers resolving, connecting, TLS, the request and the *whole* answer
///   (an endpoint dripping one byte a second fails at the timeout, not minutes later);
/// - **memory**: the answer's head is at most 64 KiB and its body at most `bodyLimit` bytes
///   (``checkBodyLimit``, ``queryBodyLimit``); a larger one fails as `body over 1 MiB`;
/// - **decoding**: the request asks for `Accept-Encoding: identity` and a compressed answer is
///   never decoded: its bytes count as they came, and ``Response/contentEncoding`` tells;
/// - **redirects**: none is followed. A 3xx is the answer, with its `Location`, for the caller
///   to judge (a health check fails naming it), so no check ever reaches an address the
///   playbook did not name.
///
/// Each request has a connection of its own (`Connection: close`) and runs on a thread of its
/// own (the socket waits block), never on the cooperative pool.
enum HTTPGet {
    /// Largest body a health check reads (it judges the status only).
    static let checkBodyLimit = 1 << 20
    /// Largest body of a KPI answer: a Prometheus query may return many series.
    static let queryBodyLimit = 8 << 20

    struct Response: Sendable {
        var status: Int
        /// Header fields as received, names in lower case, in order.
        var headers: [(name: String, value: String)]
        /// The body as it came, never decoded.
        var body: [UInt8]

        /// The first value of a header field (`location`), by its lower-case name.
        func header(_ name: String) -> String? {
            headers.first { $0.name == name }?.value
        }

        /// Where a 3xx points.
        var location: String? { header("location") }

        /// A `Content-Encoding` other than `identity` (the body is then compressed and unread).
        var contentEncoding: String? {
            guard let value = header("content-encoding"), value.lowercased() != "identity", !value.isEmpty else { return nil }
            return value
        }
    }

    /// The answer, whatever its status, or why there is none.
    /// With `payload`, the request is its method (a webhook's POST) with its body, under the same bounds.
    static func fetch(_ url: URL, timeout: Duration, bodyLimit: Int, payload: HTTPPayload? = nil) async -> Result<Response, HTTPGetError> {
        let target: HTTPTarget
        do {
            target = try HTTPTarget(url)
        } catch {
            return .failure(error)
        }
        let deadline = ContinuousClock.now + timeout
        let exchange = HTTPExchange(target: target, deadline: deadline, limit: wording(timeout),
                                    bodyLimit: bodyLimit, abandonment: HTTPAbandonment(), payload: payload)
        let answer = Answer()
        // A backstop for the one wait the socket deadline cannot end (name resolution): the
        // answer is given at the deadline whatever the exchange's thread is doing.
        let backstop = Task {
            try await Task.sleep(until: deadline + .milliseconds(250), clock: .continuous)
            exchange.abandonment.set()
            answer.give(.failure(HTTPGetError(.timeout, "no complete answer within \(exchange.limit)")))
        }
        defer { backstop.cancel() }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Result<Response, HTTPGetError>, Never>) in
                answer.await(continuation)
                let thread = Thread {
                    answer.give(Result { () throws(HTTPGetError) in try exchange.run() })
                }
                thread.name = "http \(target.host)"
                thread.stackSize = 512 * 1024
                thread.start()
            }
        } onCancel: {
            exchange.abandonment.set()
            answer.give(.failure(HTTPGetError(.cancelled, "cancelled")))
        }
    }

    /// How a timeout reads in messages: `2 s`, `0.5 s`.
    private static func wording(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        if attoseconds == 0 { return "\(seconds) s" }
        let value = Double(seconds) + Double(attoseconds) / 1e18
        return "\((value * 10).rounded() / 10) s"
    }

    /// The one result of a request, handed over once, from whichever of the exchange's thread,
    /// the deadline backstop or cancellation comes first.
    private final class Answer: Sendable {
        private struct State {
            var continuation: CheckedContinuation<Result<Response, HTTPGetError>, Never>?
            var early: Result<Response, HTTPGetError>?
            var given = false
        }
        private let state = Mutex(State())

        func await(_ continuation: CheckedContinuation<Result<Response, HTTPGetError>, Never>) {
            let early = state.withLock { state -> Result<Response, HTTPGetError>? in
                if let early = state.early { return early }
                state.continuation = continuation
                return nil
            }
            if let early { continuation.resume(returning: early) }
        }

        func give(_ result: Result<Response, HTTPGetError>) {
            let continuation = state.withLock { state -> CheckedContinuation<Result<Response, HTTPGetError>, Never>? in
                guard !state.given else { return nil }
                state.given = true
                guard let continuation = state.continuation else {
                    state.early = result
                    return nil
                }
                state.continuation = nil
                return continuation
            }
            continuation?.resume(returning: result)
        }
    }
}
