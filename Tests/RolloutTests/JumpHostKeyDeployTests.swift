import Foundation
import Rollout
import Testing
import TestSupport

/// End to end: a deploy whose hosts are reached through a bastion with a changed key touches no
/// host, even with `host_key_policy: accept-new`, and the bastion's known_hosts line is kept.
@Suite struct JumpHostKeyDeployTests {
    @Test func aBastionWithAChangedKeyStopsTheDeployBeforeAnyHost() async throws {
        try await TestFleet.with(hosts: 3) { fleet in
            let fixture = try DeployFixture(fleet: fleet)
            let h3 = fleet.member("h3")
            let h1Key = try String(contentsOfFile: "\(fleet.directory)/hosts/h1/ssh_host_ed25519_key.pub", encoding: .utf8)
                .split(separator: " ").prefix(2).joined(separator: " ")
            // h3, the bastion, listed with h1's key: what a man in the middle on h3 would look like.
            let bastionKnownHosts = fleet.directory + "/bastion_known_hosts"
            let lines = "[\(h3.address)]:\(h3.port) \(h1Key)\n"
            try lines.write(toFile: bastionKnownHosts, atomically: true, encoding: .utf8)
            var inventory = try String(contentsOfFile: fleet.inventoryPath, encoding: .utf8)
            for name in ["h1", "h2"] {
                inventory = inventory.replacingOccurrences(of: "  \(name): { address:", with: "  \(name): { jump: h3, address:")
            }
            inventory = inventory.replacingOccurrences(
                of: "  h3: { address:", with: "  h3: { known_hosts: \(bastionKnownHosts), host_key_policy: accept-new, address:")
            try inventory.write(toFile: fleet.inventoryPath, atomically: true, encoding: .utf8)

            let playbook = try fixture.playbook(strategy: "all-at-once")
            var request = fixture.request(playbook, artifact: try await fixture.artifact(version: "1.0.0"))
            request.connection.limit = "h1,h2"
            let log = DeployEventLog()
            var outcome: String
            do {
                outcome = "\(try await Deployment(request).run(events: log.sink).outcome)"
            } catch {
                outcome = "refused: \(error)"
            }
            #expect(outcome != "promoted")
            let failures = log.details(.connect, .failed)
            #expect(log.steps(.connect, .failed).sorted() == ["h1", "h2"], "\(outcome)")
            #expect(failures.allSatisfy { $0.contains("via jump host h3") && $0.contains("\(bastionKnownHosts):1") }, "\(failures)")
            // No host was touched, and accept-new did not overwrite the bastion's line.
            for name in ["h1", "h2", "h3"] {
                #expect(!FileManager.default.fileExists(atPath: fleet.member(name).srv + "/web"), "\(name)")
            }
            #expect(try String(contentsOfFile: bastionKnownHosts, encoding: .utf8) == lines)
        }
    }
}
