import Foundation
import Testing
import TestSupport

/// The commands a summary prints are ready for a POSIX shell: a playbook, an inventory and an
/// artifact whose paths hold a space and a `'` come back from `sh` word for word.
@Suite("Follow-up commands, read back by sh", .timeLimit(.minutes(3)))
struct FollowUpShellTests {
    /// The words `sh` makes of a printed `cutover …` command line.
    func words(_ command: String) async throws -> [String] {
        let line = try #require(command.hasPrefix("cutover ") ? command.dropFirst("cutover ".count) : nil, "\(command)")
        let result = try await Shell.runDetached(["sh", "-c", "printf '%s\\n' " + line])
        #expect(result.status == 0, "\(result.output)")
        return result.stdout.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
    }

    @Test func pathsWithASpaceAndAQuoteComeBackIntact() async throws {
        try await TestFleet.with(hosts: 2) { fleet in
            let fixture = try DeployFixture(fleet: fleet)
            let odd = fixture.directory + "/it's a dir"
            try FileManager.default.createDirectory(atPath: odd, withIntermediateDirectories: true)
            let playbook = odd + "/web.yml", artifact = odd + "/web-1.0.0.tar.gz"
            // Beside the fleet's inventory: it names its known_hosts and key relative to itself.
            let inventory = fleet.directory + "/o'brien inventory.yml"
            try FileManager.default.copyItem(atPath: try fixture.playbook(strategy: "all-at-once", maxFailures: "1"), toPath: playbook)
            try FileManager.default.copyItem(atPath: fleet.inventoryPath, toPath: inventory)
            try FileManager.default.copyItem(atPath: try await fixture.artifact(version: "1.0.0"), toPath: artifact)
            // h2 is down: the deploy ends partial and offers to finish (with the artifact) or undo.
            try await fleet.stopHost("h2")
            let run = try await Shell.runDetached([RepositoryPaths.cutoverExecutable, "deploy", playbook, "-i", inventory,
                                                   "--ssh-config", "none", "--artifact", artifact])
            #expect(run.status == 2, "\(run.stderr)")
            let line = try #require(run.stderr.split(separator: "\n").first { $0.contains("finish with: ") }, "\(run.stderr)")
            let offered = try #require(line.range(of: "finish with: ").map { line[$0.upperBound...] })
            let parts = offered.components(separatedBy: "  (or undo with: ")
            try #require(parts.count == 2 && parts[1].hasSuffix(")"), "\(line)")
            #expect(try await words(parts[0]) == ["resume", playbook, "-i", inventory, "--ssh-config", "none", "--artifact", artifact])
            #expect(try await words(String(parts[1].dropLast())) == ["rollback", playbook, "-i", inventory, "--ssh-config", "none"])
            // Ordinary words are printed as typed, not quoted.
            #expect(parts[0].hasSuffix(" --ssh-config none --artifact '\(odd.replacingOccurrences(of: "'", with: "'\\''"))/web-1.0.0.tar.gz'"), "\(parts[0])")
        }
    }
}
