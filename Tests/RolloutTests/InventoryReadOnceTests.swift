import Foundation
import Testing
import TestSupport

/// A verb reads its inventory once: the production confirmation, the environment, the plan and
/// the run all see that one read (``InventorySnapshot``).
@Suite("Reading the inventory once per run")
struct InventoryReadOnceTests {
    /// An inventory from a pipe (`-i <(generate-inventory)`, which the shell passes as
    /// `/dev/fd/N`) gives its text once: a second read would find the pipe empty. A deploy that
    /// asks whether it touches production (no `--yes`, `--environment staging`), then checks
    /// the environment, plans and runs, and a status, each succeed from one read of it.
    @Test func aDeployAndAStatusReadAnInventoryGivenThroughAPipe() async throws {
        try await TestFleet.with(hosts: 2) { fleet in
            let fixture = try DeployFixture(fleet: fleet)
            let playbook = try fixture.playbook(strategy: "all-at-once")
            let artifact = try await fixture.artifact(version: "1.0.0")
            // Beside the real inventory: its relative paths (key, known_hosts) resolve the same.
            let pipe = fleet.directory + "/piped.yml"
            try #require(mkfifo(pipe, 0o600) == 0)
            let common = ["-i", pipe, "--ssh-config", "none", "--environment", "staging"]
            let ledger = ["--ledger", fleet.directory + "/ledger.sqlite"]
            let verbs = [["deploy", playbook, "--artifact", artifact] + common + ledger, ["status", playbook] + common]
            for verb in verbs {
                // The writer gives the inventory's text once and ends, as `<(cat inventory.yml)`.
                let writer = Process()
                writer.executableURL = URL(fileURLWithPath: "/bin/sh")
                writer.arguments = ["-c", "exec cat \"$1\" > \"$2\"", "sh", fleet.inventoryPath, pipe]
                try writer.run()
                // Bounded: a second read of the pipe would wait for a writer that never comes.
                let result = try await Shell.runDetached(["timeout", "-k", "5", "60", RepositoryPaths.cutoverExecutable] + verb)
                // Cutover never opened the pipe: SIGKILL, as the test process's children may
                // inherit SIGTERM ignored.
                if writer.isRunning { kill(writer.processIdentifier, SIGKILL) }
                writer.waitUntilExit()
                #expect(result.status == 0, "cutover \(verb[0]): \(result.stderr)")
                #expect(!result.stderr.contains("cannot read"), "\(result.stderr)")
            }
            for host in ["h1", "h2"] {
                let current = try FileManager.default.destinationOfSymbolicLink(atPath: fleet.member(host).srv + "/web/current")
                #expect(current.hasPrefix("releases/1.0.0-"), "\(host): \(current)")
            }
        }
    }

    /// A read that blocks (a pipe whose writer has not written yet) does not hold a verb that
    /// is cancelled: `status`'s first SIGTERM cancels it, which ends it (exit 130) while the
    /// inventory is still unread.
    @Test func aCancelledStatusEndsWhileItsInventoryPipeIsStillEmpty() async throws {
        let directory = NSTemporaryDirectory() + "cutover-pipe-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let pipe = directory + "/inventory.yml", playbook = directory + "/web.yml"
        try "app: web\ndeploy_root: /srv/web\n".write(toFile: playbook, atomically: true, encoding: .utf8)
        try #require(mkfifo(pipe, 0o600) == 0)
        let status = Process()
        status.executableURL = URL(fileURLWithPath: RepositoryPaths.cutoverExecutable)
        status.arguments = ["status", playbook, "-i", pipe, "--ssh-config", "none"]
        let errors = Pipe()
        status.standardError = errors
        status.standardOutput = FileHandle.nullDevice
        try status.run()
        let pid = status.processIdentifier
        defer { if status.isRunning { kill(pid, SIGKILL) } }
        // Signals only once Cutover handles SIGTERM (its handler is installed as the verb starts).
        try await Self.waitUntil(seconds: 30) { Self.catchesSIGTERM(pid) }
        kill(pid, SIGTERM)
        // Bounded: before, the blocked read held the verb until another signal.
        try await Self.waitUntil(seconds: 10) { !status.isRunning }
        if status.isRunning { kill(pid, SIGKILL) }
        status.waitUntilExit()
        let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(status.terminationReason == .exit && status.terminationStatus == 130, "\(status.terminationReason) \(status.terminationStatus): \(stderr)")
        #expect(stderr.contains("interrupted while reading the inventory"), "\(stderr)")
    }

    private static func catchesSIGTERM(_ pid: pid_t) -> Bool {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
              let line = text.split(separator: "\n").first(where: { $0.hasPrefix("SigCgt:") }),
              let mask = UInt64(line.dropFirst("SigCgt:".count).trimmingCharacters(in: .whitespaces), radix: 16)
        else { return false }
        return mask & (1 << (UInt64(SIGTERM) - 1)) != 0
    }

    private static func waitUntil(seconds: Int, _ condition: () -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(seconds)
        while !condition() {
            guard ContinuousClock.now < deadline else { Issue.record("not within \(seconds) s"); return }
            try await Task.sleep(for: .milliseconds(50))
        }
    }
}
