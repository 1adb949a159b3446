import CLibSSH2

/// Runs one command on a session: both output streams drained as data arrives, exact exit
/// status or signal, and a deadline, a no-progress limit (no output for so long) or
/// cancellation that really stops the remote process.
///
/// sshd starts every command in a new session (setsid), so the shell's `$$` is the process
/// group of everything the command starts. The command is prefixed with `echo $$`; the first
/// stdout line is taken off and kept, and stopping means `kill -TERM -- -PGID` (then KILL)
/// from a second channel: libssh2 1.10 has no channel signals and sshd does not kill a
/// command whose channel closes.
struct RemoteExecution {
    let session: LibSSH2Session
    let command: String
    let timeout: Duration?
    /// The longest the command may go without printing a byte (stdout or stderr); nil: no limit.
    var noProgressTimeout: Duration? = nil
    let captureLimit: Int
    let output: OutputHandler?
    let token: CancelToken
    /// Read from stdin; exported to what runs through ``RemoteSecret/exporting`` (see ``RemoteSecretPreamble``).
    var secrets: [RemoteSecret] = []
    /// Export them for the whole command (it is the user's own, `cutover exec`).
    var exportingSecrets = false
    var trace: CommandTrace?
    /// What the command itself reads on stdin, after the secrets' lines.
    var input: [UInt8] = []

    func run() throws(SSHError) -> CommandResult {
        var progress = ProgressDeadline(deadline: timeout.map { .now + $0 }, noProgressLimit: noProgressTimeout)
        do {
            return try run(&progress)
        } catch {
            throw progress.classify(error, label: session.label, silence: "no output", consequence: "the command was stopped")
        }
    }

    private func run(_ progress: inout ProgressDeadline) throws(SSHError) -> CommandResult {
        let start = ContinuousClock.now
        let channel = try LibSSH2Channel.openSession(on: session, token: token, deadline: progress.waitUntil)
        defer { channel.free() }
        let host = session.label
        trace?(.command(host: host, text: command))
        try channel.exec("echo $$\n" + RemoteSecretPreamble.script(secrets, exportAll: exportingSecrets) + command, token: token, deadline: progress.waitUntil)

        var traced = output
        if let trace {
            traced = { @Sendable [output] stream, bytes in
                output?(stream, bytes)
                trace(.output(host: host, stream: stream, bytes: bytes))
            }
        }
        var capture = Capture(limit: captureLimit, output: traced)
        do {
            try send(RemoteSecretPreamble.input(secrets) + input, to: channel, deadline: progress.waitUntil)
            try drain(channel, into: &capture, progress: &progress)
            try channel.closeAndWait(token: token, deadline: progress.waitUntil)
        } catch where error.code == .timeout || error.code == .cancelled {
            stop(processGroup: capture.processGroup, channel: channel)
            let summary = error.code == .cancelled ? "cancelled" : progress.isStalled ? "stopped, no output" : "timed out"
            trace?(.ended(host: host, summary: summary, duration: .now - start))
            throw error
        }
        let exit = channel.exitInformation()
        trace?(.ended(host: host, summary: exit.signal.map { "signal \($0)" } ?? "exit \(exit.status.map(String.init) ?? "?")", duration: .now - start))
        return CommandResult(
            exitStatus: exit.status, signal: exit.signal,
            stdout: capture.stdout, stderr: capture.stderr,
            stdoutTruncated: capture.stdoutTruncated, stderrTruncated: capture.stderrTruncated,
            duration: .now - start)
    }

    /// Writes the command's whole stdin, then end of file (a command reading stdin never waits).
    private func send(_ input: [UInt8], to channel: LibSSH2Channel, deadline: ContinuousClock.Instant?) throws(SSHError) {
        try channel.writeAll(input, on: session, what: "sending stdin", token: token, deadline: deadline)
        try channel.sendEOF(token: token, deadline: deadline)
    }

    private func drain(_ channel: LibSSH2Channel, into capture: inout Capture, progress: inout ProgressDeadline) throws(SSHError) {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 * 1024, alignment: 1)
        defer { buffer.deallocate() }
        let streams: [(Int32, OutputStream)] = [(0, .stdout), (cutover_stderr_stream(), .stderr)]
        while true {
            var progressed = false
            for (id, stream) in streams {
                while true {
                    let n = channel.read(stream: id, into: buffer)
                    if n > 0 {
                        capture.append(Array(buffer[0..<n]), from: stream)
                        progressed = true
                        continue
                    }
                    if n == 0 || n == Int(LIBSSH2_ERROR_EAGAIN) { break }
                    throw SSHError(.io, about: session.label, "reading output failed: \(session.lastError().message)")
                }
            }
            if channel.isEOF { return }
            if progressed {
                progress.progressed()
            } else {
                _ = try session.waitForData(token: token, deadline: progress.waitUntil)
            }
        }
    }

    /// Terminates the remote process group, then abandons the channel. Best effort, bounded.
    private func stop(processGroup: Int?, channel: LibSSH2Channel) {
        RemoteProcessStop.stop(groups: processGroup.map { [$0] } ?? [], on: session)
        _ = session.attempt { Int(libssh2_channel_close(channel.raw)) }
    }
}

extension LibSSH2Channel {
    /// Discards output until the command ends, then closes.
    func closeAfterEOF(deadline: ContinuousClock.Instant) throws(SSHError) {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 16 * 1024, alignment: 1)
        defer { buffer.deallocate() }
        while !isEOF {
            var progressed = false
            for stream in [0, cutover_stderr_stream()] {
                while true {
                    let n = read(stream: stream, into: buffer)
                    if n > 0 { progressed = true; continue }
                    if n < 0 && n != Int(LIBSSH2_ERROR_EAGAIN) {
                        throw SSHError(.io, about: session.label, session.lastError().message)
                    }
                    break
                }
            }
            // Short waits: the killer's few packets may already sit in libssh2's buffers, where
            // poll cannot see them.
            if !progressed { _ = try session.waitForData(token: nil, deadline: deadline, maxWait: 50) }
        }
        try closeAndWait(token: nil, deadline: deadline)
    }
}

/// Output kept for the result, up to a limit per stream, after the `$$` line is taken off.
private struct Capture {
    let limit: Int
    let output: OutputHandler?
    var stdout: [UInt8] = []
    var stderr: [UInt8] = []
    var stdoutTruncated = false
    var stderrTruncated = false
    var processGroup: Int?
    private var pidLine: [UInt8] = []
    private var pidLineDone = false

    init(limit: Int, output: OutputHandler?) {
        self.limit = limit
        self.output = output
    }

    mutating func append(_ bytes: [UInt8], from stream: OutputStream) {
        var chunk = bytes[...]
        if stream == .stdout && !pidLineDone {
            if let newline = chunk.firstIndex(of: UInt8(ascii: "\n")) {
                pidLine.append(contentsOf: chunk[..<newline])
                processGroup = Int(String(decoding: pidLine, as: UTF8.self))
                pidLineDone = true
                chunk = chunk[(newline + 1)...]
            } else if pidLine.count + chunk.count <= 64 {
                pidLine.append(contentsOf: chunk)
                return
            } else {
                // Not our `echo $$` line (a login script printing first?): no group to stop
                // by, and what was held back is output like the rest.
                pidLineDone = true
                chunk = (pidLine + chunk)[...]
                pidLine = []
            }
        }
        guard !chunk.isEmpty else { return }
        output?(stream, Array(chunk))
        switch stream {
        case .stdout: keep(chunk, in: &stdout, truncated: &stdoutTruncated)
        case .stderr: keep(chunk, in: &stderr, truncated: &stderrTruncated)
        }
    }

    private func keep(_ chunk: ArraySlice<UInt8>, in store: inout [UInt8], truncated: inout Bool) {
        let room = limit - store.count
        if room >= chunk.count {
            store.append(contentsOf: chunk)
        } else {
            if room > 0 { store.append(contentsOf: chunk.prefix(room)) }
            truncated = true
        }
    }
}
