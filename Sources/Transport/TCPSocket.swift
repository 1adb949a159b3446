import CLibSSH2
import Glibc

/// Opening the TCP connection under an SSH session: name resolution and a non-blocking
/// connect bounded by a deadline and the job's cancel token.
///
/// - Important: runs on a session thread (getaddrinfo may block on DNS).
enum TCPSocket {
    static func connect(
        host: String, port: Int, options: SSHOptions, deadline: ContinuousClock.Instant, wakeFD: Int32, token: CancelToken
    ) throws(SSHError) -> Int32 {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        let rc = getaddrinfo(host, String(port), &hints, &list)
        guard rc == 0, let first = list else {
            throw SSHError(.resolve, "cannot resolve \(host): \(String(cString: gai_strerror(rc)))")
        }
        defer { freeaddrinfo(list) }
        var lastError = SSHError(.connect, "no address")
        var entry: UnsafeMutablePointer<addrinfo>? = first
        while let info = entry {
            entry = info.pointee.ai_next
            let fd = socket(info.pointee.ai_family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
            if fd < 0 { lastError = SSHError(.connect, String(cString: strerror(errno))); continue }
            do {
                try connectOne(fd: fd, address: info.pointee.ai_addr, length: info.pointee.ai_addrlen,
                               deadline: deadline, wakeFD: wakeFD, token: token)
                configure(fd, options: options)
                return fd
            } catch {
                close(fd)
                if error.code != .connect { throw error }
                lastError = error
            }
        }
        throw SSHError(.connect, "cannot connect to \(host) port \(port): \(lastError.message)", cause: lastError)
    }

    private static func connectOne(
        fd: Int32, address: UnsafeMutablePointer<sockaddr>?, length: socklen_t,
        deadline: ContinuousClock.Instant, wakeFD: Int32, token: CancelToken
    ) throws(SSHError) {
        setNonBlocking(fd)
        if Glibc.connect(fd, address, length) == 0 { return }
        guard errno == EINPROGRESS else { throw failure(errno) }
        while true {
            try token.check()
            let remaining = deadline - .now
            guard remaining > .zero else { throw SSHError(.timeout, "connect timed out") }
            var fds = [pollfd(fd: fd, events: Int16(POLLOUT), revents: 0),
                       pollfd(fd: wakeFD, events: Int16(POLLIN), revents: 0)]
            _ = poll(&fds, 2, Int32(clamping: remaining.milliseconds))
            if fds[1].revents != 0 { drain(wakeFD) }
            if fds[0].revents != 0 {
                var error: Int32 = 0
                var size = socklen_t(MemoryLayout<Int32>.size)
                getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &size)
                if error == 0 { return }
                throw failure(error)
            }
        }
    }

    /// A failed connect(2) in words, with a `refused` cause when the host refused it.
    private static func failure(_ number: Int32) -> SSHError {
        let message = String(cString: strerror(number))
        return SSHError(.connect, message, cause: number == ECONNREFUSED ? SSHError(.refused, message) : nil)
    }

    static func setNonBlocking(_ fd: Int32) {
        let flags = fcntl(fd, F_GETFL)
        _ = fcntl(fd, F_SETFL, flags | O_NONBLOCK)
    }

    /// No Nagle delay; TCP keepalive notices a dead peer while a long command is silent
    /// (tcp(7): TCP_KEEPIDLE, TCP_KEEPINTVL, TCP_KEEPCNT), and TCP_USER_TIMEOUT gives data the
    /// peer never acknowledges (a network cut during an upload or a command) the same bound
    /// instead of the kernel's ~15 minutes of retransmissions.
    private static func configure(_ fd: Int32, options: SSHOptions) {
        let size = socklen_t(MemoryLayout<Int32>.size)
        var on: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &on, size)
        setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &on, size)
        var idle = Int32(clamping: max(1, options.keepaliveIdle))
        var interval = Int32(clamping: max(1, options.keepaliveInterval))
        var count: Int32 = 4
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_KEEPIDLE, &idle, size)
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_KEEPINTVL, &interval, size)
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_KEEPCNT, &count, size)
        var userTimeout = UInt32(clamping: (Int(idle) + Int(interval) * Int(count)) * 1000)
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_USER_TIMEOUT, &userTimeout, socklen_t(MemoryLayout<UInt32>.size))
    }

    static func drain(_ wakeFD: Int32) {
        var value: UInt64 = 0
        _ = Glibc.read(wakeFD, &value, 8)
    }
}

extension Duration {
    /// Whole milliseconds, rounded up so that a tiny remainder still waits.
    var milliseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1000 + (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000
    }
}
