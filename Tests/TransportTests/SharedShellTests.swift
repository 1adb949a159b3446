import Foundation
import Testing
import TestSupport
@testable import Transport

/// Commands on a connection prepared with `sharedShell` run one after another in one shell
/// kept open on one channel (``RemoteShell``): each must still look exactly as it does on a
/// channel of its own.
@Suite("Shared shell on real sshd hosts", .timeLimit(.minutes(3)))
struct SharedShellTests {
    private func connect(_ fleet: TestFleet, secrets: [RemoteSecret] = []) async throws -> SSHConnection {
        let connection = try await SSHConnection.connect(to: fleet.endpoint())
        connection.prepareCommands(secrets: secrets, trace: nil, sharedShell: true)
        return connection
    }

    @Test func commandsShareOneShellAndKeepTheirResults() async throws {
        try await TestFleet.with(hosts: 1) { fleet in
            let connection = try await connect(fleet)
            let first = try await connection.run("echo $$; hostname; echo to-stderr >&2")
            #expect(first.exitStatus == 0)
            let lines = first.stdoutText.split(separator: "\n")
            #expect(lines.count == 2 && lines.last == "h1")
            #expect(first.stderrText == "to-stderr\n")
            // The same shell ($$ is the shell's pid in every command), output without a final
            // newline kept as it is, stdin at end of file, a script's exit status.
            let second = try await connection.run("echo $$; printf 'no newline'; cat; exit 7")
            #expect(second.exitStatus == 7)
            #expect(second.stdoutText == "\(lines[0])\nno newline")
            // A command's variables and options never reach the next one.
            _ = try await connection.run("set -e; co_leak=1; cd /")
            let third = try await connection.run("echo \"[${co_leak:-}]\"; false; echo $$")
            #expect(third.stdoutText == "[]\n\(lines[0])\n")
            // A command that is not ASCII gets a channel of its own, whole.
            let text = "héllo wörld — 部署"
            let wide = try await connection.run("printf '%s' \(ShellQuote.quote(text)); echo; echo $$")
            #expect(wide.stdoutText.hasPrefix(text + "\n"))
            #expect(!wide.stdoutText.hasSuffix("\n\(lines[0])\n"))
            // A shell killed under a command: what a channel of its own says.
            let killed = try await connection.run("kill -KILL $$")
            #expect(killed.exitStatus == nil)
            #expect(killed.signal == "KILL")
            // The next command starts another shell.
            let after = try await connection.run("echo $$")
            #expect(after.exitStatus == 0 && !after.stdoutText.isEmpty && after.stdoutText != "\(lines[0])\n")
            await connection.close()
        }
    }

    /// A shell that ended between two commands (killed) never gets the next one: that one runs
    /// on a channel of its own, whole, and the one after it in a new shell.
    @Test func aShellKilledBetweenCommandsLosesNoCommand() async throws {
        try await TestFleet.with(hosts: 1) { fleet in
            let connection = try await connect(fleet)
            let first = try await connection.run("echo $$; (sleep 1; kill -KILL $$) >/dev/null 2>&1 &")
            let shell = first.stdoutText
            try await Task.sleep(for: .seconds(3))
            let second = try await connection.run("echo $$; echo ran; exit 5")
            #expect(second.exitStatus == 5)
            #expect(second.stdoutText.hasSuffix("\nran\n") && !second.stdoutText.hasPrefix(shell))
            let third = try await connection.run("echo $$")
            let fourth = try await connection.run("echo $$")
            #expect(third.exitStatus == 0 && third.stdoutText == fourth.stdoutText && third.stdoutText != shell)
            await connection.close()
        }
    }

    @Test func drainsMegabytesOnBothStreams() async throws {
        try await TestFleet.with(hosts: 1) { fleet in
            let connection = try await connect(fleet)
            let counter = ByteCounter()
            let result = try await connection.run(
                "head -c 6291456 /dev/zero | tr '\\0' e >&2; head -c 6291456 /dev/zero | tr '\\0' o", timeout: .seconds(60),
                captureLimit: 7 << 20) { stream, bytes in if stream == .stderr { counter.add(bytes.count) } }
            #expect(result.exitStatus == 0)
            #expect(result.stdout.count == 6_291_456 && result.stdout.allSatisfy { $0 == UInt8(ascii: "o") })
            #expect(result.stderr.count == 6_291_456 && result.stderr.allSatisfy { $0 == UInt8(ascii: "e") })
            #expect(counter.total == 6_291_456)
            let next = try await connection.run("echo next")
            #expect(next.stdoutText == "next\n")
            await connection.close()
        }
    }

    /// A timeout stops that command's processes and that shell, never a process an earlier
    /// command left running (an app its hook started); the next command runs in a new shell.
    @Test func timeoutStopsTheCommandNotWhatEarlierCommandsStarted() async throws {
        try await TestFleet.with(hosts: 1) { fleet in
            let connection = try await connect(fleet)
            _ = try await connection.run("sleep 300 >/dev/null 2>&1 & echo $! > /srv/app")
            let started = ContinuousClock.now
            await #expect(throws: SSHError.self) {
                _ = try await connection.run("sh -c 'echo $$ > /srv/sleeper; exec sleep 300'", timeout: .seconds(3))
            }
            #expect(ContinuousClock.now - started < .seconds(60))
            let read = { (name: String) throws -> String in
                try String(contentsOfFile: fleet.member("h1").srv + "/" + name, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
            }
            let check = try await connection.run("kill -0 \(try read("sleeper")) 2>/dev/null && echo alive || echo gone; "
                                                 + "kill -0 \(try read("app")) 2>/dev/null && echo alive || echo gone; kill \(try read("app"))")
            #expect(check.stdoutText == "gone\nalive\n")
            await connection.close()
        }
    }

    @Test func cancellationStopsTheCommand() async throws {
        try await TestFleet.with(hosts: 1) { fleet in
            let connection = try await connect(fleet)
            _ = try await connection.run("true")
            let task = Task { try await connection.run("sh -c 'echo $$ > /srv/sleeper; exec sleep 300'") }
            let marker = fleet.member("h1").srv + "/sleeper"
            for _ in 0..<200 where !FileManager.default.fileExists(atPath: marker) {
                try await Task.sleep(for: .milliseconds(50))
            }
            try await Task.sleep(for: .milliseconds(100))
            task.cancel()
            do {
                _ = try await task.value
                Issue.record("the command was not cancelled")
            } catch let error as SSHError {
                #expect(error.code == .cancelled)
            }
            let pid = try String(contentsOfFile: marker, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
            let check = try await connection.run("kill -0 \(pid) 2>/dev/null && echo alive || echo gone")
            #expect(check.stdoutText == "gone\n")
            await connection.close()
        }
    }

    /// The secrets reach only what runs through the wrapper, as on a channel of their own; a
    /// change of secrets starts a shell that holds the new ones.
    @Test func secretsStayOutOfPlainCommands() async throws {
        try await TestFleet.with(hosts: 1) { fleet in
            let connection = try await connect(fleet, secrets: [RemoteSecret(name: "TAR_OPTIONS", value: "--exclude=*"),
                                                                RemoteSecret(name: "DB_PASSWORD", value: "pw 'x' $(id)\nline 2")])
            let plain = try await connection.run("printenv TAR_OPTIONS; printenv DB_PASSWORD; echo \"[$TAR_OPTIONS][$DB_PASSWORD]\"")
            #expect(plain.stdoutText == "[][]\n")
            let show = "printf '[%s][%s]' \"$TAR_OPTIONS\" \"$DB_PASSWORD\""
            let wrapped = try await connection.run("\(RemoteSecret.exporting) sh -c \(ShellQuote.quote(show)); echo; printenv TAR_OPTIONS; echo end")
            #expect(wrapped.stdoutText == "[--exclude=*][pw 'x' $(id)\nline 2]\nend\n")
            connection.prepareCommands(secrets: [], trace: nil, sharedShell: true)
            let none = try await connection.run("\(RemoteSecret.exporting) sh -c 'echo \"[$TAR_OPTIONS]\"; exit 3'")
            #expect(none.stdoutText == "[]\n" && none.exitStatus == 3)
            await connection.close()
        }
    }

    /// Output that looks like a marker (a line of the shape, a tag it cannot know) is output.
    @Test func markerLookalikesAreOutput() async throws {
        try await TestFleet.with(hosts: 1) { fleet in
            let connection = try await connect(fleet)
            let fake = "co0123456789abcdef0123456789abcdefx0"
            let result = try await connection.run("echo \(fake); echo \(fake) >&2; exit 4")
            #expect(result.exitStatus == 4)
            #expect(result.stdoutText == fake + "\n")
            #expect(result.stderrText == fake + "\n")
            await connection.close()
        }
    }

    @Test func markerSplitAcrossReadsIsFound() {
        let start = Array("cotagp".utf8), end = Array("cotagx".utf8), err = Array("cotag\n".utf8), errStart = Array("cotags\n".utf8)
        var phase = ShellPhase(captureLimit: 1 << 20, output: nil, startMarker: start, endMarker: end, stderrMarker: err,
                               stderrStartMarker: errStart)
        for chunk in ["stray\ncota", "gp42\nout", "put cot", "ag", "x3", "\n"] { phase.append(Array(chunk.utf8)[...], from: .stdout) }
        for chunk in ["left over co", "tags", "\nerr co", "tag", "\n"] { phase.append(Array(chunk.utf8)[...], from: .stderr) }
        #expect(phase.ended && phase.processGroup == 42 && phase.status == 3)
        let result = phase.result(status: 3, signal: nil, duration: .zero)
        #expect(result.stdoutText == "output " && result.stderrText == "err ")
    }

    /// `./app &` in a hook: the app holds the shell's output. It is stopped and the command
    /// fails, saying what to do, instead of writing into later commands' output (and dying of
    /// SIGPIPE once the runner leaves). An app started with its output redirected keeps running.
    @Test func aProcessLeftHoldingTheOutputFailsItsCommandAndIsStopped() async throws {
        try await TestFleet.with(hosts: 1) { fleet in
            let connection = try await connect(fleet)
            let held = try await connection.run("sh -c 'sleep 60 & echo $! > /tmp/co-held.$PPID'; echo started")
            #expect(held.exitStatus == 1)
            #expect(held.stdoutText == "started\n")
            #expect(held.stderrText.contains("running with its output still open"))
            // A zombie is gone: the sleep is an orphan, reaped when init gets to it (every 2 s here).
            let gone = try await connection.run("for f in /tmp/co-held.*; do s=$(cat \"/proc/$(cat \"$f\")/stat\" 2>/dev/null); "
                                                + "case ${s##*) } in ''|Z*) ;; *) echo alive ;; esac; rm -f \"$f\"; done; echo checked")
            #expect(gone.stdoutText == "checked\n", "the process holding the output was stopped")
            let quiet = try await connection.run("sleep 60 >/dev/null 2>&1 & echo $!")
            #expect(quiet.exitStatus == 0)
            let pid = quiet.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines)
            let alive = try await connection.run("kill -0 \(pid) && echo alive; kill \(pid)")
            #expect(alive.stdoutText == "alive\n", "a background process with its output redirected is left alone")
            // One that makes its redirections a moment after the command ended (as `app >log &`
            // does under load, between fork and dup2) is left alone too.
            let late = try await connection.run("(sleep 0.25; exec >/dev/null 2>&1; sleep 60) & echo $!")
            #expect(late.exitStatus == 0, "\(late.stderrText)")
            let latePid = late.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines)
            let lateAlive = try await connection.run("kill -0 \(latePid) && echo alive; kill \(latePid)")
            #expect(lateAlive.stdoutText == "alive\n", "a process that redirected its output late was stopped")
            await connection.close()
        }
    }

    /// A process that left the command's process group (`setsid`) keeps the output and writes
    /// after its command ended: none of it is the next command's, on either stream.
    @Test func outputAnEarlierCommandsProcessWritesLaterIsNotTheNextCommands() async throws {
        try await TestFleet.with(hosts: 1) { fleet in
            let connection = try await connect(fleet)
            let first = try await connection.run("setsid sh -c 'sleep 0.5; echo late; echo late >&2' & echo first")
            #expect(first.stdoutText == "first\n")
            try await Task.sleep(for: .seconds(1.5))
            let next = try await connection.run("echo next; echo next-err >&2")
            #expect(next.stdoutText == "next\n")
            #expect(next.stderrText == "next-err\n")
            await connection.close()
        }
    }
}
