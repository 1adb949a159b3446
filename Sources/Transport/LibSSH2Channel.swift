import CLibSSH2

/// One session channel. Freed exactly once, by ``free()``.
///
/// - Important: confined to its session thread, like the session.
final class LibSSH2Channel {
    let raw: OpaquePointer
    unowned let session: LibSSH2Session
    private var freed = false

    private init(raw: OpaquePointer, session: LibSSH2Session) {
        self.raw = raw
        self.session = session
    }

    deinit {
        assert(freed, "LibSSH2Channel leaked: free() was not called")
    }

    /// Opens a "session" channel: libssh2_channel_open_session(3).
    static func openSession(
        on session: LibSSH2Session, token: CancelToken?, deadline: ContinuousClock.Instant?
    ) throws(SSHError) -> LibSSH2Channel {
        guard let raw = try session.runPointer(token: token, deadline: deadline, {
            cutover_channel_open_session(session.raw)
        }) else {
            throw SSHError(.channel, about: session.label, "cannot open a channel: \(session.lastError().message)")
        }
        return LibSSH2Channel(raw: raw, session: session)
    }

    /// Opens a direct-tcpip channel to `host:port` as seen from the server: libssh2_channel_direct_tcpip(3).
    static func openDirectTCPIP(
        on session: LibSSH2Session, host: String, port: Int, token: CancelToken?, deadline: ContinuousClock.Instant?
    ) throws(SSHError) -> LibSSH2Channel {
        guard let raw = try session.runPointer(token: token, deadline: deadline, {
            cutover_channel_direct_tcpip(session.raw, host, Int32(port))
        }) else {
            throw SSHError(.connect, about: session.label, "cannot open a tunnel to \(host):\(port): \(session.lastError().message)")
        }
        return LibSSH2Channel(raw: raw, session: session)
    }

    /// Starts `command`; its length is counted in UTF-8 bytes: libssh2_channel_exec(3).
    func exec(_ command: String, token: CancelToken?, deadline: ContinuousClock.Instant?) throws(SSHError) {
        let bytes = Array(command.utf8)
        let rc = try bytes.withUnsafeBufferPointer { buffer throws(SSHError) in
            try buffer.withMemoryRebound(to: CChar.self) { chars throws(SSHError) in
                try session.run(token: token, deadline: deadline) {
                    Int(cutover_channel_exec(raw, chars.baseAddress, UInt32(chars.count)))
                }
            }
        }
        if rc != 0 {
            throw SSHError(.channel, about: session.label, "exec request refused: \(session.lastError().message)")
        }
    }

    /// Reads what is available on `stream` (0 = stdout, 1 = stderr): libssh2_channel_read_ex(3).
    /// Returns bytes read, 0 at end of stream, or EAGAIN.
    func read(stream: Int32, into buffer: UnsafeMutableRawBufferPointer) -> Int {
        session.attempt {
            cutover_channel_read(raw, stream, buffer.baseAddress!.assumingMemoryBound(to: CChar.self), buffer.count)
        }
    }

    /// Writes once; returns bytes accepted (maybe fewer), EAGAIN, or an error: libssh2_channel_write_ex(3).
    func write(_ buffer: UnsafeRawBufferPointer) -> Int {
        session.attempt {
            cutover_channel_write(raw, buffer.baseAddress!.assumingMemoryBound(to: CChar.self), buffer.count)
        }
    }

    var isEOF: Bool { cutover_channel_eof(raw) != 0 }

    /// libssh2_channel_send_eof(3)
    func sendEOF(token: CancelToken?, deadline: ContinuousClock.Instant?) throws(SSHError) {
        _ = try session.run(token: token, deadline: deadline) { Int(libssh2_channel_send_eof(raw)) }
    }

    /// Closes the channel and waits for the server's close, which carries the exit status:
    /// libssh2_channel_close(3), libssh2_channel_wait_closed(3).
    func closeAndWait(token: CancelToken?, deadline: ContinuousClock.Instant?) throws(SSHError) {
        _ = try session.run(token: token, deadline: deadline) { Int(libssh2_channel_close(raw)) }
        _ = try session.run(token: token, deadline: deadline) { Int(libssh2_channel_wait_closed(raw)) }
    }

    /// The exit status or signal: libssh2_channel_get_exit_status(3), libssh2_channel_get_exit_signal(3).
    func exitInformation() -> (status: Int32?, signal: String?) {
        var signal: UnsafeMutablePointer<CChar>?
        var length = 0
        _ = libssh2_channel_get_exit_signal(raw, &signal, &length, nil, nil, nil, nil)
        if let signal {
            let name = String(cString: signal)
            libssh2_free(session.raw, signal)
            if !name.isEmpty { return (nil, name) }
        }
        return (libssh2_channel_get_exit_status(raw), nil)
    }

    /// Frees the channel; a few non-blocking tries (it may need to send a close):
    /// libssh2_channel_free(3).
    func free() {
        guard !freed else { return }
        freed = true
        _ = session.attempt { Int(libssh2_channel_free(raw)) }
    }
}

extension LibSSH2Channel {
    /// Writes all of `bytes`, waiting on the session while the channel's window is full.
    /// `what`: what is being sent, for the error (`sending stdin`).
    func writeAll(_ bytes: [UInt8], on session: LibSSH2Session, what: String, token: CancelToken,
                  deadline: ContinuousClock.Instant?) throws(SSHError) {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { write($0) }
            if n > 0 {
                offset += n
            } else if n == Int(LIBSSH2_ERROR_EAGAIN) {
                _ = try session.waitForData(token: token, deadline: deadline)
            } else {
                throw SSHError(.io, about: session.label, "\(what) failed: \(session.lastError().message)")
            }
        }
    }
}
