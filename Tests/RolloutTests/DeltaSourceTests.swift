import Foundation
@testable import Release
@testable import Rollout
import Testing
import TestSupport

/// The runner's delta source reads only the artifact it inspected: a file rewritten at the
/// artifact's path after inspection (a pipeline writing its next build) never becomes a delta.
@Suite("Delta source")
struct DeltaSourceTests {
    @Test func anArtifactReplacedAfterInspectionIsNeverReadForADelta() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cutover-delta-source-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let made = try await Shell.runDetached(["sh", "-c", """
            set -e; cd '\(directory)'; mkdir -p app other
            echo inspected > app/file; echo replaced > other/file
            tar -cf app.tar -C app .; tar -cf other.tar -C other .
            """])
        #expect(made.status == 0, "\(made.output)")
        let path = directory + "/app.tar"
        let artifact = try ArtifactInspector.inspect(path: path)

        let untouched = DeltaSource(artifact: artifact, shared: [])
        let copy = try #require(await untouched.verifiedArtifact())
        #expect(copy.path != path)
        #expect(FileManager.default.contentsEqual(atPath: copy.path, andPath: path))
        #expect(await untouched.manifest()?.entries.contains { $0.path == "file" } == true)
        await untouched.close()
        #expect(!FileManager.default.fileExists(atPath: copy.path))

        // Same size, other bytes: only the hash can tell.
        try FileManager.default.removeItem(atPath: path)
        try FileManager.default.copyItem(atPath: directory + "/other.tar", toPath: path)
        let replaced = DeltaSource(artifact: artifact, shared: [])
        #expect(await replaced.verifiedArtifact() == nil)
        #expect(await replaced.manifest() == nil)
        #expect(await replaced.listingLimit() == nil)
        #expect(await replaced.bundle(forListing: "0000000000000000000000000000000000000000000000000000000000000000  file\n") == nil)
        await replaced.close()
    }
}
