import Foundation
import Release
import Testing
import TestSupport

/// `artifact_store:` on real hosts: a deploy from a local file adds it (`--store`), a deploy by
/// release id (`--release`) pushes the stored bytes, and bytes that do not hash to the sha256
/// their stored name carries are refused before any host is touched.
@Suite("artifact store", .timeLimit(.minutes(3)))
struct ArtifactStoreDeployTests {
    @Test func buildOnceDeployTheSameBytesByReleaseID() async throws {
        try await TestFleet.with(hosts: 2) { fleet in
            let fixture = try DeployFixture(fleet: fleet)
            let store = fixture.directory + "/store"
            try FileManager.default.createDirectory(atPath: store, withIntermediateDirectories: true)
            let playbook = try fixture.playbook(strategy: "all-at-once", extra: "artifact_store: \(store)")
            let common = ["-i", fleet.inventoryPath, "--ssh-config", "none", "--ledger", "none"]
            func cutover(_ arguments: [String]) async throws -> Shell.Result {
                try await Shell.runDetached([RepositoryPaths.cutoverExecutable] + arguments)
            }

            // A deploy from a local file keeps it in the store under <version>-<sha256>.
            let v1 = try await fixture.artifact(version: "1.0.0")
            let first = try await cutover(["deploy", playbook] + common + ["--artifact", v1, "--store"])
            #expect(first.status == 0, "\(first.stderr)")
            let v1Release = try #require(fixture.current("h1"))
            let stored = try ArtifactStore(directory: store).artifacts()
            #expect(stored.map(\.release) == [v1Release])
            #expect(FileManager.default.contentsEqual(atPath: stored[0].path, andPath: v1))

            // Release 2.0.0 was built (and stored) elsewhere: the local file is gone, the store has it.
            let v2 = try await fixture.artifact(version: "2.0.0")
            let v2Stored = try ArtifactStore(directory: store).add(v2, version: "2.0.0", sha256: try sha256(v2), gzip: true)
            try FileManager.default.removeItem(atPath: v2)
            let id = "2.0.0-" + String(try sha256(v2Stored).prefix(12))
            let second = try await cutover(["deploy", playbook] + common + ["--release", id, "--output", "json"])
            #expect(second.status == 0, "\(second.stderr)")
            for member in fleet.members { #expect(fixture.current(member.name) == id) }
            // The bytes were pushed from the store (no host had them).
            let uploads = second.stdout.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
                .filter { $0["event"] as? String == "host_step_finished" && $0["step"] as? String == "upload" }
            #expect(uploads.count == 2 && uploads.allSatisfy { $0["state"] as? String == "ok" }, "\(second.stdout)")
            // By the whole sha256 too (already on the hosts: nothing to push).
            let again = try await cutover(["deploy", playbook] + common + ["--release", try sha256(v2Stored)])
            #expect(again.status == 0, "\(again.stderr)")

            // Bytes under a name whose sha256 they do not have: refused before any host is touched.
            let forged = "3.0.0-" + String(repeating: "ab", count: 32)
            try FileManager.default.copyItem(atPath: stored[0].path, toPath: store + "/\(forged).tar.gz")
            let journal = fixture.journal("h1")
            let refused = try await cutover(["deploy", playbook] + common + ["--release", "3.0.0-abababababab"])
            #expect(refused.status == 65, "\(refused.stderr)")
            #expect(refused.stderr.contains("refused before any host was touched"), "\(refused.stderr)")
            #expect(refused.stderr.contains("not \(String(repeating: "ab", count: 32))"), "\(refused.stderr)")
            #expect(fixture.journal("h1") == journal)
            #expect(fixture.current("h1") == id)

            let missing = try await cutover(["deploy", playbook] + common + ["--release", "9.9.9-0123456789ab"])
            #expect(missing.status == 65, "\(missing.stderr)")
            #expect(missing.stderr.contains("holds no artifact 9.9.9-0123456789ab"), "\(missing.stderr)")
            let both = try await cutover(["deploy", playbook] + common + ["--release", id, "--artifact", v1])
            #expect(both.status == 64, "\(both.stderr)")
        }
    }

    func sha256(_ path: String) throws -> String {
        let result = try Shell.run(["sha256sum", path])
        return String(result.stdout.prefix(64))
    }
}
