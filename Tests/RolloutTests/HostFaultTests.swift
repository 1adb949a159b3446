import Foundation
import Rollout
import Testing
import TestSupport

@Suite("Host faults during a deploy", .timeLimit(.minutes(3)))
struct HostFaultTests {
    /// A random, incompressible artifact of about `size` bytes.
    func bigArtifact(_ fixture: DeployFixture, version: String, size: Int) async throws -> String {
        let path = try await fixture.artifact(version: version)
        let app = fixture.directory + "/app-\(version)"
        let result = try await Shell.runDetached(["sh", "-c", "head -c \(size) /dev/urandom > '\(app)/blob' && tar -czf '\(path)' -C '\(app)' ."])
        #expect(result.status == 0)
        return path
    }

    @Test func aFullDiskFailsThatHostBeforeAnythingIsSwitched() async throws {
        try await TestFleet.with(hosts: 3) { fleet in
            let fixture = try DeployFixture(fleet: fleet)
            let playbook = try fixture.playbook(strategy: "all-at-once")
            let v1 = try await Deployment(fixture.request(playbook, artifact: try await fixture.artifact(version: "1.0.0"))).run(events: { _ in })
            #expect(v1.outcome == .promoted)

            // h2's /srv becomes a 1 MiB tmpfs holding its deploy root.
            let srv = fleet.member("h2").srv
            try await fleet.stopHost("h2")
            let saved = fleet.directory + "/h2-srv"
            try await Shell.runDetached(["cp", "-a", srv, saved])
            let mounted = try await Shell.runDetached(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", srv])
            #expect(mounted.status == 0)
            defer { _ = try? Shell.run(["umount", "-l", srv]) }
            try await Shell.runDetached(["sh", "-c", "cp -a '\(saved)'/. '\(srv)'/ && chown -R \(fleet.user) '\(srv)'"])
            try await fleet.startHost("h2")

            let big = try await bigArtifact(fixture, version: "2.0.0", size: 3 * 1024 * 1024)
            let report = try await Deployment(fixture.request(playbook, artifact: big)).run(events: { _ in })
            // No host may fail (max_failures 0): nothing is switched anywhere, exit 7.
            #expect(report.outcome == .notSwitched, "\(report.reason ?? "")")
            let h2 = report.hosts.first { $0.host == "h2" }
            #expect(h2?.detail?.contains("upload") == true, "\(String(describing: h2))")
            // Nothing was switched anywhere; h2 still runs v1 and holds no partial file.
            for member in fleet.members { #expect(fixture.current(member.name) == v1.release) }
            let incoming = (try? FileManager.default.contentsOfDirectory(atPath: srv + "/web/.cutover/incoming")) ?? []
            #expect(incoming.isEmpty, "partial upload left behind: \(incoming)")
            try await fleet.stopHost("h2")
        }
    }

    @Test func sshdKilledDuringTheUploadLeavesTheHostOnItsRelease() async throws {
        try await TestFleet.with(hosts: 2) { fleet in
            let fixture = try DeployFixture(fleet: fleet)
            let playbook = try fixture.playbook(strategy: "all-at-once")
            let v1 = try await Deployment(fixture.request(playbook, artifact: try await fixture.artifact(version: "1.0.0"))).run(events: { _ in })
            let big = try await bigArtifact(fixture, version: "2.0.0", size: 40 * 1024 * 1024)
            let log = DeployEventLog()
            let deploy = Task { try await Deployment(fixture.request(playbook, artifact: big)).run(events: log.sink) }
            for _ in 0..<400 where log.steps(.upload, .started).count < 2 { try await Task.sleep(for: .milliseconds(10)) }
            // Kill h2's sshd and every session process it started (they share its process group? no: kill by parent).
            let pid = try String(contentsOfFile: "\(fleet.directory)/hosts/h2/pid", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
            try await Shell.runDetached(["sh", "-c", "pkill -KILL -P \(pid); kill -KILL \(pid)"])
            let report = try await deploy.value
            #expect(report.outcome == .notSwitched)
            #expect(report.hosts.first { $0.host == "h2" }?.detail?.contains("upload") == true)
            #expect(report.hosts.first { $0.host == "h2" }?.state != .promoted)
            #expect(fixture.current("h1") == v1.release)
            #expect(fixture.current("h2") == v1.release)
            let releases = (try? FileManager.default.contentsOfDirectory(atPath: fleet.member("h2").srv + "/web/releases")) ?? []
            #expect(!releases.contains { $0.hasPrefix("2.0.0") }, "an incomplete release appeared: \(releases)")
        }
    }
}
