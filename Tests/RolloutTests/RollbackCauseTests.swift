import Foundation
@testable import Rollout
import Testing
import TestSupport

/// `cutover rollback` decides its outcome from the hosts' typed causes (``HostResultCause``),
/// never from the words of their details.
@Suite("rollback outcomes from typed causes", .timeLimit(.minutes(3)))
struct RollbackCauseTests {
    @Test func aLockedHostMakesItLockHeldAndARepeatedRollbackChangesNothing() async throws {
        try await TestFleet.with(hosts: 2) { fleet in
            let fixture = try DeployFixture(fleet: fleet)
            let playbook = try fixture.playbook(strategy: "all-at-once")
            let v1 = try await Deployment(fixture.request(playbook, artifact: try await fixture.artifact(version: "1.0.0"))).run(events: { _ in })
            let v2 = try await Deployment(fixture.request(playbook, artifact: try await fixture.artifact(version: "2.0.0"))).run(events: { _ in })
            #expect(v2.outcome == .promoted)
            let first = try #require(v1.release)
            let connection = ConnectionSettings(inventoryPath: fleet.inventoryPath, sshConfigPath: "none")
            let request = RollbackRequest(connection: connection, playbook: playbook)

            // Another deploy's live lease on h2.
            let lock = fleet.member("h2").srv + "/web/.cutover/lock"
            let expires = Int(Date().timeIntervalSince1970) + 600
            try "owner=alice@ci pid 1\ndeploy=d-other\nexpires=\(expires)\ntoken=90\n".write(toFile: lock, atomically: true, encoding: .utf8)
            try await Shell.runDetached(["chown", "-R", fleet.user, fleet.member("h2").srv + "/web"])
            let blocked = try await FleetRollback(request).run(events: { _ in })
            #expect(blocked.outcome == .lockHeld, "\(blocked.hosts)")
            let h2 = try #require(blocked.hosts.first { $0.host == "h2" })
            guard case .lockedBy(let holder) = h2.cause else {
                Issue.record("h2 has no lock cause: \(h2)")
                return
            }
            #expect(holder.contains("d-other by alice@ci pid 1"), "\(holder)")
            #expect(blocked.reason?.contains("h2: locked by d-other by alice@ci pid 1") == true, "\(blocked.reason ?? "")")
            #expect(fixture.current("h2") == v2.release)

            try FileManager.default.removeItem(atPath: lock)
            let back = try await FleetRollback(request).run(events: { _ in })
            #expect(back.outcome == .promoted, "\(back.hosts)")
            for member in fleet.members { #expect(fixture.current(member.name) == first) }

            // Every host already is where a rollback goes: nothing to do, and each says why as a value.
            let again = try await FleetRollback(request).run(events: { _ in })
            #expect(again.outcome == .promoted)
            #expect(again.hosts.allSatisfy { $0.state == .unchanged && $0.cause == .alreadyOn(first) }, "\(again.hosts)")
            #expect(again.reason?.hasPrefix("nothing to do") == true, "\(again.reason ?? "")")
        }
    }
}
