import Foundation
import Testing
import TestSupport
@testable import Transport

/// Hosts that are up but say nothing, and output that never ends a line: every wait has an
/// end and memory stays bounded, on real sshd hosts.
@Suite("Silent hosts and endless lines", .timeLimit(.minutes(2)))
struct SilentHostTests {
    @Test func aLineLongerThanTheLimitComesInMarkedPiecesCutBetweenCharacters() {
        var splitter = LineSplitter(lineLimit: 8)
        // "aaaaaaa→" is 7 + 3 bytes: the first piece stops before the arrow, not inside it.
        var lines = splitter.append(Array("aaaaaaa→bb".utf8))
        lines += splitter.append(Array("cccccccccccc\nok\n".utf8))
        #expect(lines == [OutputLine("aaaaaaa", isCut: true), OutputLine("→bbccc", isCut: true),
                          OutputLine("cccccccc", isCut: true), OutputLine("c"), OutputLine("ok")])
        // A line of exactly the limit is whole.
        #expect(splitter.append(Array("12345678\n".utf8)) == [OutputLine("12345678")])
        // 200 KiB without a newline at the default limit: three cut pieces and 8 KiB held.
        var flood = LineSplitter()
        let pieces = flood.append([UInt8](repeating: UInt8(ascii: "x"), count: 200 * 1024))
        #expect(pieces.map(\.text.utf8.count) == [65536, 65536, 65536])
        #expect(pieces.allSatisfy { $0.isCut })
        #expect(flood.finish() == OutputLine(String(repeating: "x", count: 8 * 1024)))
    }

    @Test func aCommandThatPrintsNothingIsStoppedAtTheNoProgressLimit() async throws {
        try await TestFleet.with(hosts: 1) { fleet in
            let connection = try await SSHConnection.connect(to: fleet.endpoint())
            let started = ContinuousClock.now
            do {
                _ = try await connection.run("echo $$ > /srv/silent; echo started; exec sleep 1000", noProgressTimeout: .seconds(2))
                Issue.record("the silent command was not stopped")
            } catch let error as SSHError {
                #expect(error.code == .stalled)
                #expect(error.message == "h1: no output for 2 s; the command was stopped", "\(error.message)")
            }
            // The command sleeps 1000 s: ending well before proves the limit fired (12 s was seen
            // with every suite running at once on two cores).
            #expect(ContinuousClock.now - started < .seconds(60))
            let pid = try String(contentsOfFile: fleet.member("h1").srv + "/silent", encoding: .utf8)
                .trimmingCharacters(in: .whitespacesAndNewlines)
            let check = try await connection.run("kill -0 \(pid) 2>/dev/null && echo alive || echo gone")
            #expect(check.stdoutText == "gone\n")
            // Output keeps the limit from running out: 5 s of a line a second under a 2 s limit.
            let chatty = try await connection.run("for i in 1 2 3 4 5; do echo $i; sleep 1; done", noProgressTimeout: .seconds(2))
            #expect(chatty.stdoutText == "1\n2\n3\n4\n5\n")
            await connection.close()
        }
    }

    /// The host stops reading (its receiving process is stopped): the upload ends at the
    /// no-progress limit, not at its (absent) deadline.
    @Test func anUploadTheHostStopsReadingIsStoppedAtTheNoProgressLimit() async throws {
        try await TestFleet.with(hosts: 1) { fleet in
            let path = FileManager.default.temporaryDirectory.path + "/cutover-stall-\(UUID().uuidString)"
            try Data(count: 256 << 20).write(to: URL(fileURLWithPath: path))
            defer { try? FileManager.default.removeItem(atPath: path) }
            let marker = "stall\(UInt32.random(in: 1000...9999))"
            // Stops the receiving shell's process group as soon as it exists (the pattern's
            // brackets keep this watcher's own command line from matching).
            let pattern = "[/]srv/\(marker)/"
            let watcher = Process()
            watcher.executableURL = URL(fileURLWithPath: "/bin/bash")
            watcher.arguments = ["-c", "for i in $(seq 1 500); do p=$(pgrep -f '\(pattern)' | head -n 1); "
                + "if [ -n \"$p\" ]; then g=$(ps -o pgid= -p \"$p\" | tr -d ' '); kill -STOP -- -\"$g\"; echo $g; exit 0; fi; sleep 0.01; done; exit 1"]
            let pipe = Pipe()
            watcher.standardOutput = pipe
            try watcher.run()
            let connection = try await SSHConnection.connect(to: fleet.endpoint())
            let started = ContinuousClock.now
            do {
                _ = try await connection.upload(localPath: path, to: "/srv/\(marker)/big.bin", noProgressTimeout: .seconds(2))
                Issue.record("the upload was not stopped")
            } catch let error as SSHError {
                #expect(error.code == .stalled)
                #expect(error.message.hasPrefix("h1: nothing moved uploading /srv/\(marker)/big.bin for 2 s"), "\(error.message)")
            }
            #expect(ContinuousClock.now - started < .seconds(60))  // a stalled upload without the limit waits forever
            watcher.waitUntilExit()
            let group = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(watcher.terminationStatus == 0)
            // The stopped group, not only the process found: a stopped process outlives its fleet.
            if let group = Int(group), group > 1 { kill(-pid_t(group), SIGKILL); kill(-pid_t(group), SIGCONT) }
            await connection.close()
        }
    }

    /// SSH keepalives every second while a command is silent leave the session and the
    /// command's output intact (a keepalive half-sent would break the next write).
    @Test func keepalivesDuringSilenceLeaveTheSessionWorking() async throws {
        try await TestFleet.with(hosts: 1) { fleet in
            let connection = try await SSHConnection.connect(to: fleet.endpoint(), options: SSHOptions(sshKeepaliveInterval: 1))
            let result = try await connection.run("sleep 4; echo done")
            #expect(result.stdoutText == "done\n")
            let (path, digest) = try UploadTests.makeFile(size: 4 << 20)
            defer { try? FileManager.default.removeItem(atPath: path) }
            let upload = try await connection.upload(localPath: path, to: "/srv/keepalive.bin")
            #expect(upload.sha256 == digest)
            await connection.close()
        }
    }
}
