import CLibSSH2
import Foundation
import Glibc

/// One shell kept running on one exec channel, that runs a connection's commands one after
/// another: a host pays for one channel (sshd's fork and the shell's start) per connection
/// instead of one per command.
///
/// The runner writes each command on the shell's stdin as a length line and the script's bytes;
/// the shell reads them with one builtin (`read -N`), runs the script in a subshell of its own,
/// with stdin from `/dev/null` (a hook or check never reads what follows) and in a process
/// group of its own (`set -m`: a timeout stops that command's processes, as with a channel of
/// its own, never an app an earlier command started), and then prints a marker line carrying
/// the exit status on stdout and a marker line on stderr. The markers begin with a random tag
/// sent on stdin, never on a command line, so nothing a host prints can pass for them; the
/// command's output is what arrives before them, byte for byte.
///
/// The shell is started by the login shell and needs bash 5 (`read -N`, `$BASHPID`); any other
/// shell exits at once and the caller runs the command on a channel of its own
/// (``RunOutcome/notStarted``), as it does for a command that never started for any reason
/// (the shell was killed between commands, say): nothing of it ran.
///
/// - Important: confined to its session thread, like the session.
final class RemoteShell {
    let session: LibSSH2Session
    private let channel: LibSSH2Channel
    /// The secrets the shell read at its start (its commands see exactly these).
    let secrets: [RemoteSecret]
    private let startMarker: [UInt8]
    private let endMarker: [UInt8]
    private let stderrMarker: [UInt8]
    private let stderrStartMarker: [UInt8]
    /// The shell's own pid (its process group), from the first line it prints.
    private var shellPID: Int?
    private var shellLine: [UInt8]? = []
    private(set) var broken = false

    /// The script the login shell runs: checks it is bash 5, reads the secrets (``RemoteSecretPreamble``)
    /// and the tag, then runs each command it is sent, as described above.
    static func bootstrap(_ secrets: [RemoteSecret]) -> String {
        """
        set +o xtrace +o verbose
        echo $$
        [ -n "${BASH_VERSION:-}" ] && [ "${BASH_VERSINFO:-0}" -ge 5 ] 2>/dev/null || exit 0
        \(RemoteSecretPreamble.script(secrets))IFS= read -r co_tag || exit 0
        trap '[ -z "${co_run:-}" ] || kill -TERM -- "-$co_run" 2>/dev/null; exit 143' TERM
        while IFS= read -r co_n; do
          case $co_n in ''|*[!0-9]*) exit 64 ;; esac
          co_s=
          if [ "$co_n" -gt 0 ]; then IFS= read -r -d '' -N "$co_n" co_s; [ "${#co_s}" -eq "$co_n" ] || exit 65; fi
          set -m
          ( printf '%ss\\n' "$co_tag" >&2; printf '%sp%s\\n' "$co_tag" "$BASHPID"; eval "$co_s" ) </dev/null &
          co_run=$!
          set +m
          wait "$co_run"
          co_x=$?
          co_run=
          \(heldOutputCheck)
          printf '%sx%s%s\\n' "$co_tag" "$co_x" "$co_h"
          printf '%s\\n' "$co_tag" >&2
        done
        """
    }

    /// After a command: processes it left running in its process group (`./app &` in a hook)
    /// that still hold the shell's stdout or stderr are stopped (SIGKILL) and their pids
    /// reported in the end marker (`co_h`). With a channel per command such a process kept the
    /// channel open until the command timed out; on a shared shell it would write into later
    /// commands' output, block once nobody reads, and die of SIGPIPE when the runner leaves.
    /// Only when the group has a survivor: a scan of `/proc` with builtins (`-ef` compares the
    /// pipes), and what holds them is looked at again after a grace of up to 0.7 s (a process
    /// started with its output redirected holds the pipe until its redirections are made: under
    /// load the first scan can see it before). A process that left the group (`setsid`) is not found.
    static let heldOutputCheck = """
    co_h=
          if kill -0 -- "-$!" 2>/dev/null; then
            co_g=$!
            co_scan() {
              co_h=
              for co_p in /proc/[0-9]*; do
                IFS= read -r co_st <"$co_p/stat" 2>/dev/null || continue
                co_st=${co_st##*) }
                set -f; set -- $co_st; set +f
                [ "${3:-}" = "$co_g" ] || continue
                for co_f in "$co_p"/fd/*; do
                  if [ "$co_f" -ef "/proc/$$/fd/1" ] || [ "$co_f" -ef "/proc/$$/fd/2" ]; then co_h="$co_h ${co_p#/proc/}"; break; fi
                done
              done
            }
            co_scan
            # A child of `app >log 2>&1 &` holds the pipe until it has made its redirections:
            # only what the group still holds it with after a grace (0.1, 0.3, 0.7 s) is stopped.
            for co_w in 0.1 0.2 0.4; do
              [ -n "$co_h" ] || break
              sleep "$co_w" 2>/dev/null
              co_scan
            done
            if [ -n "$co_h" ]; then
              kill -KILL $co_h 2>/dev/null
              # Until each has exited (its pipe ends closed). A zombie has: an orphan's stays
              # until init reaps it, which some inits do only every few seconds.
              co_live() {
                for co_p; do
                  IFS= read -r co_st <"/proc/$co_p/stat" 2>/dev/null || continue
                  co_st=${co_st##*) }
                  [ "${co_st%% *}" = Z ] || return 0
                done
                return 1
              }
              co_i=0; while co_live $co_h && [ "$co_i" -lt 100000 ]; do co_i=$((co_i + 1)); done
            fi
          fi
    """

    /// Opens the channel and starts the shell; does not wait for it (the first command follows
    /// on stdin right away).
    init(session: LibSSH2Session, secrets: [RemoteSecret], token: CancelToken, deadline: ContinuousClock.Instant?) throws(SSHError) {
        self.session = session
        self.secrets = secrets
        let tag = Array(ScriptTag().text.utf8)
        startMarker = tag + Array("p".utf8)
        endMarker = tag + Array("x".utf8)
        stderrMarker = tag + [UInt8(ascii: "\n")]
        stderrStartMarker = tag + Array("s\n".utf8)
        channel = try LibSSH2Channel.openSession(on: session, token: token, deadline: deadline)
        do {
            try channel.exec(Self.bootstrap(secrets), token: token, deadline: deadline)
            try write(RemoteSecretPreamble.input(secrets) + tag + [UInt8(ascii: "\n")], token: token, deadline: deadline)
        } catch {
            channel.free()
            throw error
        }
    }

    /// Whether `command` can go through the shell: `read -N` counts characters, so the script
    /// must be ASCII (then characters are bytes in every locale), and without NUL.
    static func canCarry(_ command: String) -> Bool {
        var command = command
        return command.withUTF8 { bytes in
            // Eight bytes at a time: a script is several kilobytes, checked before every command.
            var index = 0
            if let base = bytes.baseAddress {
                let raw = UnsafeRawPointer(base)
                while index + 8 <= bytes.count {
                    let word = raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)
                    // Any high bit, or any zero byte (the classic has-zero-byte test).
                    if word & 0x8080_8080_8080_8080 != 0 || (word &- 0x0101_0101_0101_0101) & ~word & 0x8080_8080_8080_8080 != 0 { return false }
                    index += 8
                }
            }
            while index < bytes.count {
                if bytes[index] == 0 || bytes[index] >= 0x80 { return false }
                index += 1
            }
            return true
        }
    }

    enum RunOutcome {
        /// The command ran and ended (any exit status).
        case finished(CommandResult)
        /// The shell ended before the command started (not bash 5, killed meanwhile): nothing ran.
        case notStarted
    }

    /// Runs one command: see ``RemoteExecution`` for what the limits and the handlers mean; the
    /// same errors. After an error, or when the shell ended, the shell is ``broken``: the caller
    /// frees it and starts another for the next command.
    func run(_ command: String, timeout: Duration?, noProgressTimeout: Duration?, captureLimit: Int,
             output: OutputHandler?, token: CancelToken, trace: CommandTrace?) throws(SSHError) -> RunOutcome {
        var progress = ProgressDeadline(deadline: timeout.map { .now + $0 }, noProgressLimit: noProgressTimeout)
        let start = ContinuousClock.now
        let host = session.label
        var traced = output
        if let trace {
            traced = { @Sendable [output] stream, bytes in
                output?(stream, bytes)
                trace(.output(host: host, stream: stream, bytes: bytes))
            }
        }
        var phase = ShellPhase(captureLimit: captureLimit, output: traced, startMarker: startMarker, endMarker: endMarker,
                               stderrMarker: stderrMarker, stderrStartMarker: stderrStartMarker)
        // A shell that turns out not to start the command leaves it to a channel of its own,
        // which traces it again.
        trace?(.command(host: host, text: command))
        do {
            // A shell that ended since the last command (killed, say) is not sent this one.
            if ended() {
                broken = true
                return .notStarted
            }
            let script = Array(command.utf8)
            do {
                try write(Array("\(script.count)\n".utf8) + script, token: token, deadline: progress.waitUntil)
            } catch where error.code == .io {
                // Not sent: nothing ran. A channel of its own says whether the connection is gone.
                broken = true
                return .notStarted
            }
            let ended = try drain(into: &phase, progress: &progress, token: token)
            // The shell gone after the command's end marker (before its stderr marker): the
            // command's own status stands, the shell is replaced for the next one.
            if ended, phase.status != nil { broken = true }
            guard let status = phase.status else {
                broken = true
                guard phase.started else { return .notStarted }
                // The shell died under the command: what a channel of its own would have said.
                try? channel.closeAndWait(token: nil, deadline: .now + .seconds(2))
                let exit = channel.exitInformation()
                trace?(.ended(host: host, summary: exit.signal.map { "signal \($0)" } ?? "exit \(exit.status.map(String.init) ?? "?")",
                              duration: .now - start))
                return .finished(phase.result(status: exit.status, signal: exit.signal, duration: .now - start))
            }
            if !phase.holders.isEmpty {
                trace?(.ended(host: host, summary: "exit \(status), left processes holding its output", duration: .now - start))
                return .finished(phase.heldOutputResult(status: status, duration: .now - start))
            }
            trace?(.ended(host: host, summary: "exit \(status)", duration: .now - start))
            return .finished(phase.result(status: status, signal: nil, duration: .now - start))
        } catch {
            broken = true
            if error.code == .timeout || error.code == .cancelled {
                RemoteProcessStop.stop(groups: [phase.processGroup, shellPID].compactMap { $0 }, on: session)
                let summary = error.code == .cancelled ? "cancelled" : progress.isStalled ? "stopped, no output" : "timed out"
                trace?(.ended(host: host, summary: summary, duration: .now - start))
            }
            throw progress.classify(error, label: host, silence: "no output", consequence: "the command was stopped")
        }
    }

    /// Ends the shell (end of file on its stdin: it exits) and frees the channel.
    func close() {
        if !broken { _ = session.attempt { Int(libssh2_channel_send_eof(channel.raw)) } }
        _ = session.attempt { Int(libssh2_channel_close(channel.raw)) }
        channel.free()
    }

    private func write(_ bytes: [UInt8], token: CancelToken, deadline: ContinuousClock.Instant?) throws(SSHError) {
        try channel.writeAll(bytes, on: session, what: "sending a command to the shell", token: token, deadline: deadline)
    }

    /// Reads both streams until the command's markers arrived; true when the shell ended first.
    private func drain(into phase: inout ShellPhase, progress: inout ProgressDeadline, token: CancelToken) throws(SSHError) -> Bool {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 * 1024, alignment: 1)
        defer { buffer.deallocate() }
        let streams: [(Int32, OutputStream)] = [(0, .stdout), (cutover_stderr_stream(), .stderr)]
        while true {
            var progressed = false
            for (id, stream) in streams {
                while true {
                    let n = channel.read(stream: id, into: buffer)
                    if n > 0 {
                        var bytes = Array(buffer[0..<n])[...]
                        if stream == .stdout, shellLine != nil { bytes = takeShellLine(bytes) }
                        phase.append(bytes, from: stream)
                        progressed = true
                        continue
                    }
                    if n == 0 || n == Int(LIBSSH2_ERROR_EAGAIN) { break }
                    throw SSHError(.io, about: session.label, "reading output failed: \(session.lastError().message)")
                }
            }
            if phase.ended { return false }
            if channel.isEOF { return true }
            if progressed {
                progress.progressed()
            } else {
                _ = try session.waitForData(token: token, deadline: progress.waitUntil)
            }
        }
    }

    /// Reads what arrived while no command ran (the shell's first line; a line a process an
    /// earlier command started printed, discarded) and says whether the shell has ended.
    private func ended() -> Bool {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 16 * 1024, alignment: 1)
        defer { buffer.deallocate() }
        for id in [0, cutover_stderr_stream()] {
            while true {
                let n = channel.read(stream: id, into: buffer)
                if n > 0 {
                    if id == 0, shellLine != nil { _ = takeShellLine(Array(buffer[0..<n])[...]) }
                    continue
                }
                if n == 0 || n == Int(LIBSSH2_ERROR_EAGAIN) { break }
                return true
            }
        }
        return channel.isEOF
    }

    /// The shell's first line (`$$`), before any command's output.
    private func takeShellLine(_ bytes: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        guard var line = shellLine else { return bytes }
        guard let newline = bytes.firstIndex(of: UInt8(ascii: "\n")) else {
            line.append(contentsOf: bytes)
            shellLine = line.count > 64 ? nil : line
            return []
        }
        line.append(contentsOf: bytes[..<newline])
        // Only a real process group: a login script printing a bare `1` first must never make a
        // timeout's stop signal every process the user may signal (`kill -- -1`).
        shellPID = Int(String(decoding: line, as: UTF8.self)).flatMap { $0 > 1 ? $0 : nil }
        shellLine = nil
        return bytes[(newline + 1)...]
    }
}

/// One command's output on a ``RemoteShell``: what comes between its start marker (which
/// carries its process group) and its end marker (its exit status) on stdout, and before the
/// marker on stderr. A marker split across reads is held back until it is whole.
struct ShellPhase {
    let captureLimit: Int
    let output: OutputHandler?
    let startMarker: [UInt8]
    let endMarker: [UInt8]
    let stderrMarker: [UInt8]
    /// Printed on stderr as the command starts: what came before it is not the command's.
    let stderrStartMarker: [UInt8]
    private(set) var started = false
    private var stderrStarted = false
    /// Processes the command left running that held the shell's output (stopped by the shell).
    private(set) var holders: [Int] = []
    private(set) var processGroup: Int?
    private(set) var status: Int32?
    private var stderrEnded = false
    private var pendingOut: [UInt8] = []
    private var pendingErr: [UInt8] = []
    private var stdout: [UInt8] = []
    private var stderr: [UInt8] = []
    private var stdoutTruncated = false
    private var stderrTruncated = false

    init(captureLimit: Int, output: OutputHandler?, startMarker: [UInt8], endMarker: [UInt8], stderrMarker: [UInt8],
         stderrStartMarker: [UInt8]) {
        self.stderrStartMarker = stderrStartMarker
        self.captureLimit = captureLimit
        self.output = output
        self.startMarker = startMarker
        self.endMarker = endMarker
        self.stderrMarker = stderrMarker
    }

    var ended: Bool { status != nil && stderrEnded }

    mutating func append(_ bytes: ArraySlice<UInt8>, from stream: OutputStream) {
        switch stream {
        case .stdout:
            guard status == nil else { return }
            pendingOut.append(contentsOf: bytes)
            scanStdout()
        case .stderr:
            guard !stderrEnded else { return }
            pendingErr.append(contentsOf: bytes)
            if !stderrStarted {
                // Before the start marker: what a process of an earlier command left behind.
                guard let at = Self.find(stderrStartMarker, in: pendingErr) else {
                    pendingErr = Array(pendingErr.suffix(stderrStartMarker.count - 1))
                    return
                }
                stderrStarted = true
                pendingErr = Array(pendingErr[(at + stderrStartMarker.count)...])
            }
            if let at = Self.find(stderrMarker, in: pendingErr) {
                keep(pendingErr[..<at], stream: .stderr)
                pendingErr = []
                stderrEnded = true
            } else {
                let hold = Self.heldBack(pendingErr, marker: stderrMarker)
                keep(pendingErr[..<(pendingErr.count - hold)], stream: .stderr)
                pendingErr = Array(pendingErr.suffix(hold))
            }
        }
    }

    private mutating func scanStdout() {
        if !started {
            // Before the start marker: a line a process of an earlier command left behind.
            guard let at = Self.find(startMarker, in: pendingOut),
                  let newline = pendingOut[(at + startMarker.count)...].firstIndex(of: UInt8(ascii: "\n")) else {
                if pendingOut.count > 1 << 20 { pendingOut = Array(pendingOut.suffix(4096)) }
                return
            }
            processGroup = Int(String(decoding: pendingOut[(at + startMarker.count)..<newline], as: UTF8.self))
            started = true
            pendingOut = Array(pendingOut[(newline + 1)...])
        }
        if let at = Self.find(endMarker, in: pendingOut) {
            guard let newline = pendingOut[(at + endMarker.count)...].firstIndex(of: UInt8(ascii: "\n")) else {
                keep(pendingOut[..<at], stream: .stdout)
                pendingOut = Array(pendingOut[at...])
                return
            }
            keep(pendingOut[..<at], stream: .stdout)
            // `<status>` then, when the shell stopped processes that held its output, ` <pid>…`.
            let fields = String(decoding: pendingOut[(at + endMarker.count)..<newline], as: UTF8.self).split(separator: " ")
            status = fields.first.flatMap { Int32($0) } ?? -1
            holders = fields.dropFirst().compactMap { Int($0) }
            pendingOut = []
            return
        }
        let hold = Self.heldBack(pendingOut, marker: endMarker)
        keep(pendingOut[..<(pendingOut.count - hold)], stream: .stdout)
        pendingOut = Array(pendingOut.suffix(hold))
    }

    private mutating func keep(_ chunk: ArraySlice<UInt8>, stream: OutputStream) {
        guard !chunk.isEmpty else { return }
        output?(stream, Array(chunk))
        switch stream {
        case .stdout: Self.store(chunk, in: &stdout, truncated: &stdoutTruncated, limit: captureLimit)
        case .stderr: Self.store(chunk, in: &stderr, truncated: &stderrTruncated, limit: captureLimit)
        }
    }

    private static func store(_ chunk: ArraySlice<UInt8>, in store: inout [UInt8], truncated: inout Bool, limit: Int) {
        let room = limit - store.count
        if room >= chunk.count {
            store.append(contentsOf: chunk)
        } else {
            if room > 0 { store.append(contentsOf: chunk.prefix(room)) }
            truncated = true
        }
    }

    /// The command's result. When the shell ended under it, what it printed until then (the
    /// held-back bytes included) with the shell's own ending.
    mutating func result(status: Int32?, signal: String?, duration: Duration) -> CommandResult {
        if self.status == nil {
            keep(pendingOut[...], stream: .stdout)
            if stderrStarted { keep(pendingErr[...], stream: .stderr) }
            pendingOut = []
            pendingErr = []
        }
        return CommandResult(exitStatus: status, signal: signal, stdout: stdout, stderr: stderr,
                             stdoutTruncated: stdoutTruncated, stderrTruncated: stderrTruncated, duration: duration)
    }

    /// A command that left processes holding the shell's output failed, whatever its status: the
    /// shell stopped them (with a channel of its own the command would have run until its
    /// timeout), and the result says which and what to do.
    mutating func heldOutputResult(status: Int32, duration: Duration) -> CommandResult {
        let pids = holders.map(String.init).joined(separator: ", ")
        let message = "\ncutover: the command left process\(holders.count == 1 ? "" : "es") \(pids) running with its output still open "
            + "(a background `app &` or `nohup app &` in a hook): stopped. Start a background process with its output redirected "
            + "(`app >log 2>&1 &`) or detached from the session (a service manager, `setsid` with redirection).\n"
        keep(Array(message.utf8)[...], stream: .stderr)
        var failed = result(status: status == 0 ? 1 : status, signal: nil, duration: duration)
        failed.stoppedHolders = holders
        return failed
    }

    /// Where `marker` starts in `bytes`, if it is there: memchr(3) for its first byte, memcmp(3)
    /// for the rest (Glibc's memmem is not visible to Swift).
    static func find(_ marker: [UInt8], in bytes: [UInt8]) -> Int? {
        guard bytes.count >= marker.count, let first = marker.first else { return nil }
        return bytes.withUnsafeBytes { haystack -> Int? in
            marker.withUnsafeBytes { needle -> Int? in
                guard let base = haystack.baseAddress, let wanted = needle.baseAddress else { return nil }
                var offset = 0
                let last = haystack.count - needle.count
                while offset <= last {
                    guard let hit = memchr(base + offset, Int32(first), last - offset + 1) else { return nil }
                    let at = base.distance(to: UnsafeRawPointer(hit))
                    if memcmp(base + at, wanted, needle.count) == 0 { return at }
                    offset = at + 1
                }
                return nil
            }
        }
    }

    /// How many bytes at the end of `bytes` could be the beginning of `marker`.
    static func heldBack(_ bytes: [UInt8], marker: [UInt8]) -> Int {
        var length = min(marker.count - 1, bytes.count)
        while length > 0 {
            if bytes.suffix(length).elementsEqual(marker.prefix(length)) { return length }
            length -= 1
        }
        return 0
    }
}
