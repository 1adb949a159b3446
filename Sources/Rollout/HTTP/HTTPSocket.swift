import Glibc
import Synchronization

/// Set by the caller that stops waiting for an HTTP exchange (its task was cancelled, or its
/// deadline passed first); the exchange's thread sees it within 100 ms and stops.
final class HTTPAbandonment: Sendable {
    private let flag = Atomic<Bool>(false)

    var isSet: Bool { flag.load(ordering: .acquiring) }

    func set() { flag.store(true, ordering: .releasing) }
}

/// The bytes of one HTTP exchange, plain or through TLS.
protocol HTTPByteStream {
    /// Sends all of `bytes`.
    func send(_ bytes: [UInt8]) throws(HTTPGetError)
    /// Receives what has arrived, waiting for at least one byte; 0 when the peer closed.
    func receive(into buffer: UnsafeMutableRawBufferPointer) throws(HTTPGetError) -> Int
}

/// A non-blocking TCP connection for one HTTP exchange, whose every wait ends by a deadline
/// or when the caller abandons the exchange.
///
/// - Important: blocking (it waits in `poll`): use it only on a thread of its own, never on
///   the cooperative pool. Not thread-safe; ``close()`` exactly once.
final class HTTPSocket: HTTPByteStream {
    let fd: Int32
    let deadline: ContinuousClock.Instant
    let abandonment: HTTPAbandonment
    /// What the deadline is called in messages: `2 s`.
    let limit: String

    private init(fd: Int32, deadline: ContinuousClock.Instant, abandonment: HTTPAbandonment, limit: String) {
        self.fd = fd
        self.deadline = deadline
        self.abandonment = abandonment
        self.limit = limit
    }

    /// Resolves `host` and connects to the first address that accepts, by the deadline.
    static func connect(
        host: String, port: Int, deadline: ContinuousClock.Instant, limit: String, abandonment: HTTPAbandonment
    ) throws(HTTPGetError) -> HTTPSocket {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        let rc = getaddrinfo(host, String(port), &hints, &list)
        guard rc == 0, let first = list else {
            throw HTTPGetError(.resolve, "cannot resolve \(host): \(String(cString: gai_strerror(rc)))")
        }
        defer { freeaddrinfo(list) }
        var lastError = "no address"
        var entry: UnsafeMutablePointer<addrinfo>? = first
        while let info = entry {
            entry = info.pointee.ai_next
            let fd = socket(info.pointee.ai_family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
            if fd < 0 { lastError = String(cString: strerror(errno)); continue }
            let connection = HTTPSocket(fd: fd, deadline: deadline, abandonment: abandonment, limit: limit)
            if Glibc.connect(fd, info.pointee.ai_addr, info.pointee.ai_addrlen) == 0 { return connection }
            guard errno == EINPROGRESS else { lastError = String(cString: strerror(errno)); connection.close(); continue }
            do {
                try connection.wait(for: Int16(POLLOUT))
            } catch {
                connection.close()
                throw error
            }
            var error: Int32 = 0
            var size = socklen_t(MemoryLayout<Int32>.size)
            getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &size)
            if error == 0 { return connection }
            lastError = String(cString: strerror(error))
            connection.close()
        }
        throw HTTPGetError(.connect, "cannot connect to \(host) port \(port): \(lastError)")
    }

    /// Waits until the socket is ready for `events`, in slices of at most 100 ms so that an
    /// abandoned exchange stops promptly.
    func wait(for events: Int16) throws(HTTPGetError) {
        while true {
            if abandonment.isSet { throw HTTPGetError(.cancelled, "cancelled") }
            let remaining = deadline - .now
            guard remaining > .zero else { throw HTTPGetError(.timeout, "no complete answer within \(limit)") }
            var fds = [pollfd(fd: fd, events: events, revents: 0)]
            let rc = poll(&fds, 1, Int32(clamping: min(100, remaining.wholeMilliseconds)))
            if rc < 0 && errno != EINTR { throw HTTPGetError(.connect, "poll failed: \(String(cString: strerror(errno)))") }
            if rc > 0 { return }
        }
    }

    func send(_ bytes: [UInt8]) throws(HTTPGetError) {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n > 0 { offset += n; continue }
            if n < 0 && (errno == EAGAIN || errno == EINTR) { try wait(for: Int16(POLLOUT)); continue }
            throw HTTPGetError(.connect, "sending the request failed: \(String(cString: strerror(errno)))")
        }
    }

    func receive(into buffer: UnsafeMutableRawBufferPointer) throws(HTTPGetError) -> Int {
        while true {
            let n = recv(fd, buffer.baseAddress, buffer.count, 0)
            if n >= 0 { return n }
            if errno == EAGAIN || errno == EINTR { try wait(for: Int16(POLLIN)); continue }
            throw HTTPGetError(.connect, "reading the answer failed: \(String(cString: strerror(errno)))")
        }
    }

    func close() {
        Glibc.close(fd)
    }
}

extension Duration {
    /// Whole milliseconds, rounded up so that a tiny remainder still waits.
    var wholeMilliseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1000 + (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000
    }
}
