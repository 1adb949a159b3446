import CLibSSH2
import Glibc

/// One libssh2 session in non-blocking mode, with the waiting discipline every call follows.
///
/// libssh2 keeps at most one partly-sent packet per session, and a non-blocking call that
/// returned `EAGAIN` while *sending* must be called again, with the same arguments, before any
/// other call that sends. ``attempt(_:)`` enforces this: it finishes a pending send at once
/// (waiting for the socket to drain) and only returns `EAGAIN` when the call waits for data.
///
/// - Important: confined to its session thread; never touch it from another thread.
final class LibSSH2Session {
    let raw: OpaquePointer
    let socket: Int32
    let wakeFD: Int32
    let label: String
    /// SSH keepalives were configured (libssh2_keepalive_config(3)); ``waitForData`` sends them.
    var keepalives = false
    private var closed = false

    init(socket: Int32, wakeFD: Int32, label: String) throws(SSHError) {
        try LibSSH2Runtime.ensureInitialized()
        guard let session = cutover_session_init() else {
            throw SSHError(.handshake, about: label, "libssh2_session_init failed")
        }
        raw = session
        self.socket = socket
        self.wakeFD = wakeFD
        self.label = label
        // libssh2_session_set_blocking(3): every call may now return LIBSSH2_ERROR_EAGAIN.
        libssh2_session_set_blocking(session, 0)
    }

    deinit {
        if !closed { close() }
    }

    /// The last libssh2 error code and message: libssh2_session_last_error(3).
    func lastError() -> (code: Int32, message: String) {
        var message: UnsafeMutablePointer<CChar>?
        var length: Int32 = 0
        let code = libssh2_session_last_error(raw, &message, &length, 0)
        return (code, message.map { String(cString: $0) } ?? "unknown error")
    }

    var isWaitingToSend: Bool {
        // libssh2_session_block_directions(3)
        libssh2_session_block_directions(raw) & LIBSSH2_SESSION_BLOCK_OUTBOUND != 0
    }

    /// Calls `op` and completes any send it left pending. The result is `EAGAIN` only when
    /// the call is waiting for incoming data; any other call may be made next.
    func attempt(_ op: () -> Int) -> Int {
        var rc = op()
        while rc == Int(LIBSSH2_ERROR_EAGAIN) && isWaitingToSend {
            var fds = [pollfd(fd: socket, events: Int16(POLLOUT), revents: 0)]
            _ = poll(&fds, 1, 1000)
            rc = op()
        }
        return rc
    }

    /// Like ``attempt(_:)`` for calls that return a pointer (NULL + EAGAIN means "again").
    func attemptPointer(_ op: () -> OpaquePointer?) -> OpaquePointer? {
        var result = op()
        while result == nil && lastError().code == LIBSSH2_ERROR_EAGAIN && isWaitingToSend {
            var fds = [pollfd(fd: socket, events: Int16(POLLOUT), revents: 0)]
            _ = poll(&fds, 1, 1000)
            result = op()
        }
        return result
    }

    /// Waits until the socket has data (or `extra` fds are ready), the deadline passes, or the
    /// token is cancelled.
    func waitForData(
        token: CancelToken?, deadline: ContinuousClock.Instant?, extra: [pollfd] = [], maxWait: Int32 = 5000
    ) throws(SSHError) -> [pollfd] {
        try token?.check()
        var timeout: Int32 = maxWait
        if let nextKeepalive = sendKeepaliveIfDue() { timeout = min(timeout, nextKeepalive) }
        if let deadline {
            let remaining = deadline - .now
            guard remaining > .zero else { throw SSHError(.timeout, about: label, "timed out") }
            timeout = Int32(clamping: min(remaining.milliseconds, Int64(maxWait)))
        }
        var fds = [pollfd(fd: socket, events: Int16(POLLIN), revents: 0),
                   pollfd(fd: wakeFD, events: Int16(POLLIN), revents: 0)] + extra
        let rc = poll(&fds, nfds_t(fds.count), timeout)
        if rc < 0 && errno != EINTR {
            throw SSHError(.io, about: label, "poll failed: \(String(cString: strerror(errno)))")
        }
        if fds[1].revents != 0 { TCPSocket.drain(wakeFD) }
        try token?.check()
        return Array(fds.dropFirst(2))
    }

    /// Sends an SSH keepalive when one is due (libssh2_keepalive_send(3)) and returns the
    /// milliseconds until the next; nil when keepalives are off.
    ///
    /// Only when nothing is half-sent and the socket takes a small packet at once: a keepalive
    /// libssh2 left half-sent would make the next call that sends fail (LIBSSH2_ERROR_BAD_USE).
    private func sendKeepaliveIfDue() -> Int32? {
        guard keepalives else { return nil }
        guard !isWaitingToSend else { return 1000 }
        var writable = [pollfd(fd: socket, events: Int16(POLLOUT), revents: 0)]
        guard poll(&writable, 1, 0) == 1, writable[0].revents & Int16(POLLOUT) != 0 else { return 1000 }
        var secondsToNext: Int32 = 0
        guard libssh2_keepalive_send(raw, &secondsToNext) == 0 else { return 1000 }
        return max(1, secondsToNext) * 1000
    }

    /// Repeats `op` until it stops returning `EAGAIN`, waiting for data in between.
    func run(
        token: CancelToken?, deadline: ContinuousClock.Instant?, _ op: () -> Int
    ) throws(SSHError) -> Int {
        while true {
            let rc = attempt(op)
            if rc != Int(LIBSSH2_ERROR_EAGAIN) { return rc }
            _ = try waitForData(token: token, deadline: deadline)
        }
    }

    /// Repeats a pointer-returning `op` until it succeeds or fails with something else than EAGAIN.
    func runPointer(
        token: CancelToken?, deadline: ContinuousClock.Instant?, _ op: () -> OpaquePointer?
    ) throws(SSHError) -> OpaquePointer? {
        while true {
            if let result = attemptPointer(op) { return result }
            if lastError().code != LIBSSH2_ERROR_EAGAIN { return nil }
            _ = try waitForData(token: token, deadline: deadline)
        }
    }

    /// Says goodbye to the server if it can do so at once, then frees the session and closes
    /// the socket. Channels must already be freed.
    func close() {
        guard !closed else { return }
        closed = true
        // libssh2_session_disconnect(3): a few non-blocking tries; a dead peer must not delay us.
        for _ in 0..<20 {
            let rc = cutover_session_disconnect(raw, "bye")
            if rc != LIBSSH2_ERROR_EAGAIN { break }
            var fds = [pollfd(fd: socket, events: Int16(POLLOUT | POLLIN), revents: 0)]
            _ = poll(&fds, 1, 10)
        }
        // libssh2_session_free(3) returns EAGAIN, and frees nothing, while a channel it must close
        // waits for the server's reply (a jump host's tunnel channels); a session left like that
        // leaked (Scripts/leak-check --jump: 71 of 100). Resume it until done, for at most 1 s.
        var rc = libssh2_session_free(raw)
        for _ in 0..<100 where rc == LIBSSH2_ERROR_EAGAIN {
            var fds = [pollfd(fd: socket, events: Int16(POLLIN | (isWaitingToSend ? POLLOUT : 0)), revents: 0)]
            _ = poll(&fds, 1, 10)
            rc = libssh2_session_free(raw)
        }
        Glibc.close(socket)
    }
}
