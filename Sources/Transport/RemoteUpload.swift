import CLibSSH2
import Crypto
import Glibc

/// Streams a local file into a temporary file next to the destination through an exec
/// channel (`cat`), hashing it while sending; the host hashes what it received, and only a
/// matching file is renamed into place: by the host in the same channel when the caller gave
/// the sha256 to expect, else in a second one once the runner compared. Memory stays bounded
/// by one chunk.
///
/// The loop only writes while sending: libssh2 processes window adjustments inside
/// `libssh2_channel_write`, and the small outputs (`sha256sum`, errors) are read after EOF.
struct RemoteUpload {
    let session: LibSSH2Session
    let localPath: String
    let remotePath: String
    let timeout: Duration?
    /// The longest the host may accept no byte (and, after the last one, may take to hash
    /// what it received, plus a second per 32 MiB); nil: no limit.
    var noProgressTimeout: Duration? = nil
    let progress: (@Sendable (Int64) -> Void)?
    /// The file's sha256 when the caller already knows it (one hash for many hosts); the host
    /// must then receive exactly these bytes. Nil: hashed here while sending.
    let expectedSHA256: String?
    let fault: UploadFault?
    let token: CancelToken
    /// The permissions the file gets before it is renamed into place (nil: private, 0600 under
    /// `umask 077`), so no other process ever sees it at the destination with other ones, and
    /// no `chmod` by path follows a link planted there afterwards.
    var mode: Int? = nil

    static let chunkSize = 256 * 1024

    func run() throws(SSHError) -> UploadResult {
        var moving = ProgressDeadline(deadline: timeout.map { .now + $0 }, noProgressLimit: noProgressTimeout)
        do {
            return try run(&moving)
        } catch {
            throw moving.classify(error, label: session.label, silence: "nothing moved uploading \(remotePath)",
                                  consequence: "the upload was stopped")
        }
    }

    private func run(_ moving: inout ProgressDeadline) throws(SSHError) -> UploadResult {
        let start = ContinuousClock.now
        let deadline = moving.deadline
        let file = open(localPath, O_RDONLY | O_CLOEXEC)
        guard file >= 0 else {
            throw SSHError(.localFile, "cannot read \(localPath): \(String(cString: strerror(errno)))")
        }
        defer { close(file) }

        let (directory, name) = Self.split(remotePath)
        let temporary = "\(directory)/.\(name).part-\(UInt32.random(in: .min ... .max))"
        let (part, final) = (ShellQuote.quote(temporary), ShellQuote.quote(remotePath))
        let dir = ShellQuote.quote(directory)
        // The destination is a file: a directory or a link there is refused before a byte is
        // written (`mv` would move the upload into the directory, or into the one the link
        // names), and `mv -T` replaces only the name itself if one appears meanwhile.
        // The upload is written private. A file given a mode (`cutover upload`) gets missing
        // directories with the login's umask (under 077 a tool uploaded 0755 sat below
        // directories no other user could enter); one without (a deploy's artifact) stays
        // private down to the directories made for it.
        var receive = "if [ -L \(final) ] || [ -d \(final) ]; then echo \(final)\" is a directory or a symbolic link: not replaced\" >&2; exit 3; fi; "
            + (mode == nil ? "umask 077; " : "") + "{ [ -d \(dir) ] || mkdir -p -- \(dir); } && umask 077 && cat > \(part) && "
        if let expectedSHA256 {
            // The host knows what it must receive: it renames a matching file into place (or
            // removes any other) in this channel, and the runner still checks the hash it prints.
            receive += "h=$(sha256sum < \(part)) && printf '%s\\n' \"$h\" && if [ \"${h%% *}\" = \(ShellQuote.quote(expectedSHA256)) ]; then "
                + "\(Self.rename(part, to: final, mode: mode)) || { echo \"cannot move the upload to \"\(final) >&2; rm -f -- \(part); exit 2; }; "
                + "else rm -f -- \(part); fi || { rm -f -- \(part); exit 1; }"
        } else {
            receive += "sha256sum < \(part) || { rm -f -- \(part); exit 1; }"
        }

        let channel = try LibSSH2Channel.openSession(on: session, token: token, deadline: moving.waitUntil)
        defer { channel.free() }
        try channel.exec(receive, token: token, deadline: moving.waitUntil)

        var hasher = SHA256()
        var sent: Int64 = 0
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: Self.chunkSize, alignment: 1)
        defer { buffer.deallocate() }
        var sendFailure: SSHError?
        var earlyErrors: [UInt8] = []
        let probe = UnsafeMutableRawBufferPointer.allocate(byteCount: 4096, alignment: 1)
        defer { probe.deallocate() }
        sending: while true {
            let count = read(file, buffer.baseAddress, buffer.count)
            if count < 0 {
                if errno == EINTR { continue }
                throw SSHError(.localFile, "reading \(localPath) failed: \(String(cString: strerror(errno)))")
            }
            if count == 0 { break }
            let chunk = UnsafeMutableRawBufferPointer(rebasing: buffer[0..<count])
            if expectedSHA256 == nil { hasher.update(bufferPointer: UnsafeRawBufferPointer(chunk)) }
            if let fault, fault.corruptByteAt >= sent, fault.corruptByteAt < sent + Int64(count) {
                chunk[Int(fault.corruptByteAt - sent)] ^= 0xFF
            }
            var offset = 0
            while offset < count {
                let n = channel.write(UnsafeRawBufferPointer(rebasing: chunk[offset...]))
                if n > 0 {
                    offset += n
                    moving.progressed()
                } else if n == Int(LIBSSH2_ERROR_EAGAIN) {
                    // The window is full. The receiving script writes to stderr only when it
                    // fails (a full disk, say); sshd then stops adjusting the window, so look
                    // for that before waiting, or the upload would wait until its deadline.
                    let early = channel.read(stream: cutover_stderr_stream(), into: probe)
                    if early > 0 { earlyErrors += probe[0..<early] }
                    if early > 0 || channel.isEOF {
                        sendFailure = SSHError(.remote, about: session.label, "the host stopped reading \(remotePath)")
                        break sending
                    }
                    _ = try session.waitForData(token: token, deadline: moving.waitUntil)
                } else {
                    sendFailure = SSHError(.io, about: session.label, "sending \(localPath) failed: \(session.lastError().message)")
                    break sending
                }
            }
            sent += Int64(count)
            progress?(sent)
        }
        let local = expectedSHA256 ?? hasher.finalize().hexString

        // The host hashes the whole file before it answers: nothing moves meanwhile, so the
        // no-progress limit grows by a second per 32 MiB sent.
        moving = ProgressDeadline(deadline: deadline, noProgressLimit: noProgressTimeout.map { $0 + .seconds(sent >> 25) })
        if sendFailure == nil {
            try channel.sendEOF(token: token, deadline: moving.waitUntil)
        } else {
            // sshd closes the channel only once our side is finished too.
            try? channel.sendEOF(token: token, deadline: moving.waitUntil)
        }
        var output = try channel.collectOutput(token: token, deadline: moving.waitUntil)
        output.stderr = earlyErrors + output.stderr
        try channel.closeAndWait(token: token, deadline: moving.waitUntil)
        let exit = channel.exitInformation()
        guard exit.status == 0 else {
            let reason = String(decoding: output.stderr, as: UTF8.self).trimmingTrailingNewlines
            throw SSHError(.remote, about: session.label, "receiving \(remotePath) failed (\(exit.signal.map { "signal \($0)" } ?? "exit \(exit.status ?? -1)")): \(reason.isEmpty ? sendFailure?.message ?? "no message" : reason)")
        }
        if let sendFailure { throw sendFailure }
        let remote = String(decoding: output.stdout.prefix(64), as: UTF8.self)
        guard remote == local else {
            if expectedSHA256 == nil { _ = try? command("rm -f -- \(ShellQuote.quote(temporary))", deadline: deadline) }
            throw SSHError(.integrity, about: session.label, "\(remotePath) arrived corrupted (sha256 sent \(local), received \(remote)); the partial file was removed")
        }
        // Renamed by the host already when it knew the hash to expect.
        if expectedSHA256 != nil { return UploadResult(bytes: sent, sha256: local, duration: .now - start) }
        let moved = try command(Self.rename(part, to: final, mode: mode), deadline: deadline)
        guard moved.exitStatus == 0 else {
            _ = try? command("rm -f -- \(ShellQuote.quote(temporary))", deadline: deadline)
            throw SSHError(.remote, about: session.label, "cannot move the upload to \(remotePath): \(moved.stderrText.trimmingTrailingNewlines)")
        }
        return UploadResult(bytes: sent, sha256: local, duration: .now - start)
    }

    private func command(_ text: String, deadline: ContinuousClock.Instant?) throws(SSHError) -> CommandResult {
        try RemoteExecution(session: session, command: text, timeout: deadline.map { $0 - .now } ?? .seconds(60),
                            captureLimit: 64 * 1024, output: nil, token: token).run()
    }

    /// The shell that gives the received file its mode and renames it over the destination's
    /// name (`-T`: never into a directory, never through a link).
    static func rename(_ part: String, to final: String, mode: Int?) -> String {
        let chmod = mode.map { "chmod \(String($0 & 0o7777, radix: 8)) -- \(part) && " } ?? ""
        return chmod + "mv -fT -- \(part) \(final)"
    }

    /// Splits a path into its directory and last component.
    static func split(_ path: String) -> (String, String) {
        guard let slash = path.lastIndex(of: "/") else { return (".", path) }
        let directory = String(path[..<slash])
        return (directory.isEmpty ? "/" : directory, String(path[path.index(after: slash)...]))
    }
}

extension LibSSH2Channel {
    /// Reads both streams to the end (for commands whose output is small).
    func collectOutput(token: CancelToken?, deadline: ContinuousClock.Instant?, limit: Int = 1 << 20) throws(SSHError) -> (stdout: [UInt8], stderr: [UInt8]) {
        var out: [UInt8] = []
        var err: [UInt8] = []
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 16 * 1024, alignment: 1)
        defer { buffer.deallocate() }
        while true {
            var progressed = false
            for stream in [Int32(0), cutover_stderr_stream()] {
                while true {
                    let n = read(stream: stream, into: buffer)
                    if n > 0 {
                        progressed = true
                        if stream == 0 { if out.count < limit { out += buffer[0..<n] } } else if err.count < limit { err += buffer[0..<n] }
                        continue
                    }
                    if n == 0 || n == Int(LIBSSH2_ERROR_EAGAIN) { break }
                    throw SSHError(.io, about: session.label, "reading output failed: \(session.lastError().message)")
                }
            }
            if isEOF { return (out, err) }
            if !progressed { _ = try session.waitForData(token: token, deadline: deadline) }
        }
    }
}

extension String {
    var trimmingTrailingNewlines: String {
        var s = self
        while s.last == "\n" || s.last == "\r" { s.removeLast() }
        return s
    }
}

extension Sequence<UInt8> {
    /// Lowercase hexadecimal digits, two per byte.
    var hexString: String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        for byte in self { out.append(digits[Int(byte >> 4)]); out.append(digits[Int(byte & 0xF)]) }
        return String(decoding: out, as: UTF8.self)
    }
}
