import Foundation
import Release
import Testing
import TestSupport

/// `distribution: pull` on real sshd hosts against a real nginx serving the artifact store:
/// every host downloads the release itself (the store sees one request per host, with the
/// token), the release is the artifact byte for byte, the token reaches no event, report or
/// remote command line, and a store that answers 404 or serves other bytes makes each host
/// fall back to a push from the runner, which still deploys the right bytes.
@Suite("pull distribution", .timeLimit(.minutes(4)))
struct PullDistributionTests {
    static let token = "s3cr3tT0k3n-9f8e7d"

    @Test func hostsPullTheReleaseThemselvesAndTheTokenStaysSecret() async throws {
        try await TestFleet.with(hosts: 2) { fleet in
            let fixture = try DeployFixture(fleet: fleet)
            let store = try makeStore(fixture)
            let nginx = try await NginxStore.start(in: fixture.directory + "/nginx", store: store, token: Self.token)
            defer { nginx.stop() }
            let id = try await storedRelease(fixture, store: store, version: "1.0.0")
            let url = "\(nginx.base)/releases/?token=\(Self.token)&X-Amz-Signature=\(Self.token)"
            let playbook = try fixture.playbook(strategy: "all-at-once",
                                                extra: "artifact_store: { path: \(store), url: \"\(url)\" }\ndistribution: pull")
            let report = fixture.directory + "/report.html"
            let run = try await cutover(fleet, ["deploy", playbook, "--release", id, "--output", "json", "--verbose", "--report", report])
            #expect(run.status == 0, "\(run.stderr)")
            try expectExact(fixture, fleet: fleet, id: id, store: store)

            let uploads = uploadDetails(run.stdout)
            #expect(uploads.count == 2 && uploads.allSatisfy { $0.contains("pulled by the host with curl") }, "\(uploads)")
            // Each host fetched it from nginx itself (once), with the token (which nginx demands).
            let size = try #require(try FileManager.default.attributesOfItem(atPath: ArtifactStore(directory: store).find(id).path)[.size] as? Int)
            let fetched = nginx.requests.filter { $0.contains("GET /releases/\(id.split(separator: "-")[0])-") && $0.contains(" 200 \(size)") }
            #expect(fetched.count == fleet.members.count, "\(nginx.requests)")
            #expect(fetched.allSatisfy { $0.contains("token=\(Self.token)") })

            // Events (JSON Lines), every remote command (--verbose prints them), the report:
            // the redacted URL, never the token.
            #expect(run.stdout.contains("\(nginx.base)/releases/"), "\(run.stdout)")
            for (what, text) in [("events", run.stdout), ("stderr and remote commands", run.stderr),
                                 ("report", try String(contentsOfFile: report, encoding: .utf8))] {
                #expect(!text.contains(Self.token), "the token leaked into the \(what)")
            }
        }
    }

    @Test func aStoreThatAnswers404OrOtherBytesFallsBackToAPush() async throws {
        try await TestFleet.with(hosts: 2) { fleet in
            let fixture = try DeployFixture(fleet: fleet)
            let store = try makeStore(fixture)
            let corrupt = fixture.directory + "/corrupt"
            try FileManager.default.createDirectory(atPath: corrupt, withIntermediateDirectories: true)
            let nginx = try await NginxStore.start(in: fixture.directory + "/nginx", store: store, corrupt: corrupt)
            defer { nginx.stop() }

            // 404: every host is pushed to instead, and says why.
            let v1 = try await storedRelease(fixture, store: store, version: "1.0.0")
            var playbook = try fixture.playbook(strategy: "all-at-once",
                                                extra: "artifact_store: { path: \(store), url: \"\(nginx.base)/missing/\" }\ndistribution: pull")
            let missing = try await cutover(fleet, ["deploy", playbook, "--release", v1, "--output", "json"])
            #expect(missing.status == 0, "\(missing.stderr)")
            try expectExact(fixture, fleet: fleet, id: v1, store: store)
            let pushed = uploadDetails(missing.stdout)
            #expect(pushed.count == 2 && pushed.allSatisfy { $0.contains("pushed by the runner (the host could not pull: curl exit 22, HTTP 404)") }, "\(pushed)")

            // Other bytes under the stored name: the sha256 check refuses them, the runner pushes.
            let v2 = try await storedRelease(fixture, store: store, version: "2.0.0")
            let name = try #require(try FileManager.default.contentsOfDirectory(atPath: store).first { $0.hasPrefix("2.0.0-") })
            // The same size, one byte changed: only the sha256 can tell.
            var forged = try Data(contentsOf: URL(fileURLWithPath: store + "/" + name))
            forged[forged.count / 2] ^= 0xFF
            try forged.write(to: URL(fileURLWithPath: corrupt + "/" + name))
            playbook = try fixture.playbook(strategy: "all-at-once",
                                            extra: "artifact_store: { path: \(store), url: \"\(nginx.base)/corrupt/\" }\ndistribution: pull")
            let wrong = try await cutover(fleet, ["deploy", playbook, "--release", v2, "--output", "json"])
            #expect(wrong.status == 0, "\(wrong.stderr)")
            try expectExact(fixture, fleet: fleet, id: v2, store: store)
            let refused = uploadDetails(wrong.stdout)
            #expect(refused.count == 2 && refused.allSatisfy { $0.contains("pushed by the runner (the host could not pull: curl fetched bytes whose sha256 is") }, "\(refused)")
            #expect(nginx.requests.filter { $0.contains("GET /corrupt/\(name)") && $0.contains(" 200 \(forged.count)") }.count == 2, "\(nginx.requests)")

            // A download a killed run left behind (its downloader may write on) goes with the
            // next deploy's prune.
            let leftover = fleet.member("h1").srv + "/web/.cutover/incoming/.pull-4242.part"
            try "partial".write(toFile: leftover, atomically: true, encoding: .utf8)
            #expect(try Shell.run(["chown", fleet.user, leftover]).status == 0)

            // --distribution direct overrides the playbook: nothing is asked of the store.
            let before = nginx.requests.count
            let v3 = try await storedRelease(fixture, store: store, version: "3.0.0")
            let direct = try await cutover(fleet, ["deploy", playbook, "--release", v3, "--distribution", "direct", "--output", "json"])
            #expect(direct.status == 0, "\(direct.stderr)")
            try expectExact(fixture, fleet: fleet, id: v3, store: store)
            #expect(nginx.requests.count == before)
            #expect(uploadDetails(direct.stdout).allSatisfy { !$0.contains("pull") })
            #expect(!FileManager.default.fileExists(atPath: leftover), "the partial download stayed")

            // An artifact the store does not hold cannot be pulled: refused before any host is touched.
            let local = try await fixture.artifact(version: "4.0.0")
            let notStored = try await cutover(fleet, ["deploy", playbook, "--artifact", local])
            #expect(notStored.status == 65, "\(notStored.stderr)")
            #expect(notStored.stderr.contains("distribution pull: the hosts can only download an artifact of the store"), "\(notStored.stderr)")
        }
    }

    // MARK: Helpers

    private func makeStore(_ fixture: DeployFixture) throws -> String {
        let store = fixture.directory + "/store"
        try FileManager.default.createDirectory(atPath: store, withIntermediateDirectories: true)
        return store
    }

    /// Builds an artifact, adds it to the store, removes the local file; returns its release id.
    private func storedRelease(_ fixture: DeployFixture, store: String, version: String) async throws -> String {
        let path = try await fixture.artifact(version: version)
        let digest = try sha256(path)
        try ArtifactStore(directory: store).add(path, version: version, sha256: digest, gzip: true)
        try FileManager.default.removeItem(atPath: path)
        return "\(version)-\(digest.prefix(12))"
    }

    /// Every host runs `id`, and its release directory holds exactly the stored artifact's files.
    private func expectExact(_ fixture: DeployFixture, fleet: TestFleet, id: String, store: String) throws {
        let stored = try ArtifactStore(directory: store).find(id)
        let expected = fixture.directory + "/expected-\(id)"
        try FileManager.default.createDirectory(atPath: expected, withIntermediateDirectories: true)
        let unpacked = try Shell.run(["tar", "-xzf", stored.path, "-C", expected])
        #expect(unpacked.status == 0, "\(unpacked.output)")
        for member in fleet.members {
            #expect(fixture.current(member.name) == id)
            let diff = try Shell.run(["diff", "-r", "--no-dereference", "-x", "log", expected, member.srv + "/web/releases/" + id])
            #expect(diff.status == 0, "\(member.name): \(diff.output)")
        }
    }

    private func uploadDetails(_ jsonLines: String) -> [String] {
        jsonLines.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
            .filter { $0["event"] as? String == "host_step_finished" && $0["step"] as? String == "upload" && $0["state"] as? String == "ok" }
            .compactMap { $0["detail"] as? String }
    }

    private func cutover(_ fleet: TestFleet, _ arguments: [String]) async throws -> Shell.Result {
        try await Shell.runDetached([RepositoryPaths.cutoverExecutable] + arguments
            + ["-i", fleet.inventoryPath, "--ssh-config", "none", "--ledger", "none"])
    }

    private func sha256(_ path: String) throws -> String {
        String(try Shell.run(["sha256sum", path]).stdout.prefix(64))
    }
}
