import Foundation
import Testing
import TestSupport
@testable import Transport

@Suite("Exec on real sshd hosts", .timeLimit(.minutes(2)))
struct ExecTests {
    @Test func runsACommandAndReportsExitStatus() async throws {
        try await TestFleet.with(hosts: 1) { fleet in
            let connection = try await SSHConnection.connect(to: fleet.endpoint())
            let ok = try await connection.run("hostname; echo to-stderr >&2")
            #expect(ok.exitStatus == 0)
            #expect(ok.stdoutText == "h1\n")
            #expect(ok.stderrText == "to-stderr\n")
            let failed = try await connection.run("exit 7")
            #expect(failed.exitStatus == 7)
            #expect(failed.signal == nil)
            let killed = try await connection.run("kill -KILL $$")
            #expect(killed.exitStatus == nil)
            #expect(killed.signal == "KILL")
            await connection.close()
        }
    }

    @Test func eachHostSeesItsOwnSrv() async throws {
        try await TestFleet.with(hosts: 2) { fleet in
            for name in ["h1", "h2"] {
                let connection = try await SSHConnection.connect(to: fleet.endpoint(name))
                _ = try await connection.run("echo \(name) > /srv/who")
                await connection.close()
            }
            #expect(try String(contentsOfFile: fleet.member("h1").srv + "/who", encoding: .utf8) == "h1\n")
            #expect(try String(contentsOfFile: fleet.member("h2").srv + "/who", encoding: .utf8) == "h2\n")
        }
    }

    @Test func drainsMegabytesOnBothStreamsWithoutStalling() async throws {
        try await TestFleet.with(hosts: 1) { fleet in
            let connection = try await SSHConnection.connect(to: fleet.endpoint())
            // 6 MiB to stderr first, then 6 MiB to stdout: reading only stdout would stall.
            let result = try await connection.run(
                "head -c 6291456 /dev/zero | tr '\\0' e >&2; head -c 6291456 /dev/zero | tr '\\0' o",
                timeout: .seconds(60))
            #expect(result.exitStatus == 0)
            #expect(result.stdout.count == 6_291_456)
            #expect(result.stderr.count == 6_291_456)
            #expect(result.stdout.allSatisfy { $0 == UInt8(ascii: "o") })
            await connection.close()
        }
    }

    @Test func captureLimitTruncatesButStreamsEverything() async throws {
        try await TestFleet.with(hosts: 1) { fleet in
            let connection = try await SSHConnection.connect(to: fleet.endpoint())
            let counter = ByteCounter()
            let result = try await connection.run("head -c 300000 /dev/zero", captureLimit: 1000) { stream, bytes in
                if stream == .stdout { counter.add(bytes.count) }
            }
            #expect(result.stdout.count == 1000)
            #expect(result.stdoutTruncated)
            #expect(counter.total == 300_000)
            await connection.close()
        }
    }

    @Test func nonASCIICommandsAreSentWhole() async throws {
        try await TestFleet.with(hosts: 1) { fleet in
            let connection = try await SSHConnection.connect(to: fleet.endpoint())
            let text = "héllo wörld — 部署 🚀"
            let result = try await connection.run("printf '%s' \(ShellQuote.quote(text)); echo; echo done")
            #expect(result.stdoutText == text + "\ndone\n")
            await connection.close()
        }
    }

    @Test func lineSplitterKeepsCharactersSplitAcrossChunks() {
        let bytes = Array("a→b\nç".utf8)
        var splitter = LineSplitter()
        var lines: [String] = []
        for byte in bytes { lines += splitter.append([byte]).map(\.text) }
        if let last = splitter.finish() { lines.append(last.text) }
        #expect(lines == ["a→b", "ç"])
    }

    @Test func timeoutStopsTheRemoteProcess() async throws {
        try await TestFleet.with(hosts: 1) { fleet in
            let connection = try await SSHConnection.connect(to: fleet.endpoint())
            let started = ContinuousClock.now
            await #expect(throws: SSHError.self) {
                _ = try await connection.run("echo $$ > /srv/sleeper; exec sleep 300", timeout: .seconds(3))
            }
            #expect(ContinuousClock.now - started < .seconds(60))  // far below the 300 s sleep
            let pid = try String(contentsOfFile: fleet.member("h1").srv + "/sleeper", encoding: .utf8)
                .trimmingCharacters(in: .whitespacesAndNewlines)
            let check = try await connection.run("kill -0 \(pid) 2>/dev/null && echo alive || echo gone")
            #expect(check.stdoutText == "gone\n")
            await connection.close()
        }
    }

    @Test func cancellationStopsTheRemoteWait() async throws {
        try await TestFleet.with(hosts: 1) { fleet in
            let connection = try await SSHConnection.connect(to: fleet.endpoint())
            let task = Task { try await connection.run("echo $$ > /srv/sleeper; exec sleep 300") }
            // Cancel only once the remote command runs (a loaded machine may take a while to start it).
            let marker = fleet.member("h1").srv + "/sleeper"
            for _ in 0..<200 where !FileManager.default.fileExists(atPath: marker) {
                try await Task.sleep(for: .milliseconds(50))
            }
            try await Task.sleep(for: .milliseconds(100))
            let started = ContinuousClock.now
            task.cancel()
            do {
                _ = try await task.value
                Issue.record("the command was not cancelled")
            } catch let error as SSHError {
                #expect(error.code == .cancelled)
            }
            // The command sleeps 300 s: ending well before proves the cancellation (a loaded
            // machine took 8.8 s with every suite running at once).
            #expect(ContinuousClock.now - started < .seconds(30))
            let pid = try String(contentsOfFile: fleet.member("h1").srv + "/sleeper", encoding: .utf8)
                .trimmingCharacters(in: .whitespacesAndNewlines)
            let check = try await connection.run("kill -0 \(pid) 2>/dev/null && echo alive || echo gone")
            #expect(check.stdoutText == "gone\n")
            await connection.close()
        }
    }

    /// Secrets are not in the environment of a plain command (Cutover's own: tar, mv, sha256sum):
    /// a secret named `TAR_OPTIONS` must not reach the `tar` Cutover runs. Only the user's
    /// command, run through ``RemoteSecret/exporting`` or as a whole, receives them.
    @Test func secretsStayOutOfPlainCommands() async throws {
        try await TestFleet.with(hosts: 1) { fleet in
            let connection = try await SSHConnection.connect(to: fleet.endpoint())
            connection.prepareCommands(secrets: [RemoteSecret(name: "TAR_OPTIONS", value: "--exclude=*"),
                                                 RemoteSecret(name: "DB_PASSWORD", value: "pw 'x' $(id)\nline 2")], trace: nil)
            let plain = try await connection.run("printenv TAR_OPTIONS; printenv DB_PASSWORD; echo \"[$TAR_OPTIONS][$DB_PASSWORD]\"")
            #expect(plain.stdoutText == "[][]\n")
            // What runs through the wrapper sees them, byte for byte; the script around it still does not.
            let show = "printf '[%s][%s]' \"$TAR_OPTIONS\" \"$DB_PASSWORD\""
            let wrapped = try await connection.run("\(RemoteSecret.exporting) sh -c \(ShellQuote.quote(show)); echo; printenv TAR_OPTIONS; echo end")
            #expect(wrapped.stdoutText == "[--exclude=*][pw 'x' $(id)\nline 2]\nend\n")
            // A command that is the user's own sees them throughout.
            let own = try await connection.run(show, exportingSecrets: true)
            #expect(own.stdoutText == "[--exclude=*][pw 'x' $(id)\nline 2]")
            // No secrets: the wrapper still runs its command.
            connection.prepareCommands(secrets: [], trace: nil)
            let none = try await connection.run("\(RemoteSecret.exporting) sh -c 'echo \"[$TAR_OPTIONS]\"; exit 3'")
            #expect(none.stdoutText == "[]\n" && none.exitStatus == 3)
            await connection.close()
        }
    }
}

final class ByteCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    func add(_ n: Int) { lock.lock(); count += n; lock.unlock() }
    var total: Int { lock.lock(); defer { lock.unlock() }; return count }
}
