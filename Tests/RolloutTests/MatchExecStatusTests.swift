import Foundation
import Testing
import TestSupport

/// The reviewer's case: `cutover status --limit h1` ran ssh_config's `Match exec` for h2 too, and
/// once per inventory load (status loads it more than once).
@Suite("Match exec through cutover status", .timeLimit(.minutes(2)))
struct MatchExecStatusTests {
    @Test func statusWithALimitRunsMatchExecOnceForTheSelectedHostOnly() async throws {
        try await TestFleet.with(hosts: 2) { fleet in
            let fixture = try DeployFixture(fleet: fleet)
            let playbook = try fixture.playbook(strategy: "all-at-once")
            let log = fleet.directory + "/match-exec-\(UUID().uuidString)"
            let config = fleet.directory + "/status_ssh_config"
            try "Match exec \"echo %n >> \(log)\"\n  ServerAliveInterval 30\n".write(toFile: config, atomically: true, encoding: .utf8)
            let status = try await Shell.runDetached([RepositoryPaths.cutoverExecutable, "status", playbook, "-i", fleet.inventoryPath,
                                                      "--ssh-config", config, "--limit", "h1"])
            #expect(status.stdout.contains("h1"), "\(status.output)")
            #expect(!status.stdout.contains("h2"), "\(status.output)")
            // Looked up by name and by the inventory's address: h1's, each once.
            let lines = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n").map(String.init)
            #expect(lines.sorted() == [fleet.member("h1").address, "h1"].sorted(), "\(lines)")
        }
    }
}
