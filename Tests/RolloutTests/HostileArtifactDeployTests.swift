import Foundation
import Rollout
import Testing
import TestSupport

/// End to end: hostile artifacts, each refused before any host is touched. The fleet already runs
/// a release; after every refusal each host's /srv is exactly as it was (no file, link, upload or
/// journal line added or changed).
@Suite struct HostileArtifactDeployTests {
    /// Every path under a host's /srv with what it is: a link's target, a file's contents.
    static func snapshot(_ srv: String) -> [String: String] {
        var entries: [String: String] = [:]
        let files = FileManager.default
        for case let path as String in files.enumerator(atPath: srv) ?? NSEnumerator() {
            let full = srv + "/" + path
            if let target = try? files.destinationOfSymbolicLink(atPath: full) {
                entries[path] = "-> " + target
            } else if let data = files.contents(atPath: full) {
                entries[path] = "\(data.count) bytes \(data.hashValue)"
            } else {
                entries[path] = "directory"
            }
        }
        return entries
    }

    @Test func everyHostileArtifactIsRefusedAndNoHostChanges() async throws {
        try await TestFleet.with(hosts: 3) { fleet in
            let fixture = try DeployFixture(fleet: fleet)
            let playbook = try fixture.playbook(strategy: "all-at-once")
            let v1 = try await Deployment(fixture.request(playbook, artifact: try await fixture.artifact(version: "1.0.0"))).run(events: { _ in })
            #expect(v1.outcome == .promoted)
            let before = fleet.members.map { Self.snapshot($0.srv) }
            #expect(before.allSatisfy { $0["web/current"] == "-> releases/\(v1.release ?? "")" })

            let d = fixture.directory
            // Each script builds web-<version>.tar.gz in its own directory from what a release
            // must not hold; GNU tar writes every one of them without complaint.
            let hostile: [(version: String, script: String, reason: String)] = [
                ("2.0.1", "mkdir -p e/bin && ln -s ../../../etc/passwd e/bin/pw && tar -czf ../web-2.0.1.tar.gz -C e .", "outside the archive"),
                ("2.0.2", "mkdir -p e && ln -s /etc e/etc && tar -czf ../web-2.0.2.tar.gz -C e .", "points to absolute path '/etc'"),
                ("2.0.3", "mkdir -p e && echo x > e/f && tar -czPf ../web-2.0.3.tar.gz --transform 's,^e/f,../../f,' e/f", "has a '..' component"),
                ("2.0.4", "mkdir -p e && ln -s . e/d && ln -s ../x e/up && tar -cf w.tar -C e d && tar -rf w.tar -C e --transform 's,^up,d/up,' up && gzip -c w.tar > ../web-2.0.4.tar.gz", "is below symlink 'd'"),
                ("2.0.5", "mkdir -p e/a/b && ln -s ../../escaped e/a/b/l && ln e/a/b/l e/l2 && tar -czf ../web-2.0.5.tar.gz -C e .", "'../../escaped', outside the archive"),
                ("2.0.6", "mkdir -p e && mknod e/null c 1 3 && tar -czf ../web-2.0.6.tar.gz -C e .", "is a device file"),
                ("2.0.7", "mkdir -p e && mkfifo e/pipe && tar -czf ../web-2.0.7.tar.gz -C e .", "is a FIFO"),
                ("2.0.8", "mkdir -p e && head -c 40000000 /dev/zero > e/zeros && tar -czf ../web-2.0.8.tar.gz -C e .", "compression ratio above 200:1"),
            ]
            for (version, script, reason) in hostile {
                let work = d + "/hostile-" + version
                try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
                let made = try await Shell.runDetached(["sh", "-c", "cd '\(work)' && \(script)"])
                #expect(made.status == 0, "\(version): \(made.output)")
                do {
                    let report = try await Deployment(fixture.request(playbook, artifact: d + "/web-\(version).tar.gz")).run(events: { _ in })
                    Issue.record("\(version) was deployed: \(report.outcome)")
                } catch let error as RolloutError {
                    #expect(error.description.contains("refused before any host was touched") && error.description.contains(reason), "\(version): \(error)")
                }
                for (member, old) in zip(fleet.members, before) {
                    #expect(Self.snapshot(member.srv) == old, "\(version) changed \(member.name)")
                }
            }
        }
    }
}
