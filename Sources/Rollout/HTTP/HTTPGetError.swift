/// Why a GET from the orchestrator has no answer to judge. An answer with any status,
/// a 3xx or a 5xx too, is *not* an error: it is a ``HTTPGet/Response``.
/// Compare errors by ``code``, never by ``message``.
struct HTTPGetError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure this is.
    struct Code: Hashable, Sendable {
        private enum Base: Hashable, Sendable {
            case url, resolve, connect, tls, timeout, bodyTooLarge, malformed, closed, cancelled
        }
        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// The URL is not one Cutover can request (scheme, host, port).
        static let url = Code(.url)
        /// The host name could not be resolved.
        static let resolve = Code(.resolve)
        /// TCP connect was refused or the connection broke.
        static let connect = Code(.connect)
        /// The TLS handshake failed, the certificate included.
        static let tls = Code(.tls)
        /// The request's deadline passed before the whole answer arrived.
        static let timeout = Code(.timeout)
        /// The answer's body (or head) is larger than the request allows.
        static let bodyTooLarge = Code(.bodyTooLarge)
        /// The answer is not HTTP/1.x as the server framed it.
        static let malformed = Code(.malformed)
        /// The server closed the connection before the answer was complete.
        static let closed = Code(.closed)
        /// The caller's task was cancelled.
        static let cancelled = Code(.cancelled)
    }

    var code: Code
    var message: String

    init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    var description: String { message }
}
