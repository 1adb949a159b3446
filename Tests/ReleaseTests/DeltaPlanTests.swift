import Foundation
@testable import Release
import Testing
import TestSupport

/// The runner's half of a delta push: the artifact's manifest agrees with GNU tar and
/// `sha256sum`, a host's listing is read as untrusted input, and the plan copies only files whose
/// content the host already holds.
@Suite("Delta plans")
struct DeltaPlanTests {
    /// A tree with long names (pax/GNU headers), an empty file, a symlink and nested directories,
    /// packed by GNU tar (gzip), must give the paths and hashes `sha256sum` gives.
    @Test func theManifestAgreesWithTarAndSha256sum() async throws {
        let scratch = Scratch()
        let long = String(repeating: "long-directory-name-", count: 8)
        let made = try await Shell.runDetached(["sh", "-c", """
            set -e; cd '\(scratch.path)'; mkdir -p app/a/b 'app/\(long)'
            head -c 70000 /dev/urandom > app/a/b/data; : > app/empty; echo x > 'app/\(long)/file'
            ln -s a/b/data app/link; chmod 0640 app/a/b/data
            tar --format=posix -czf app.tar.gz -C app .
            cd app && find . -type f -exec sha256sum {} + | sed 's#  \\./#  #' | LC_ALL=C sort > ../sums
            """])
        #expect(made.status == 0, "\(made.output)")
        let artifact = try ArtifactInspector.inspect(path: scratch.path + "/app.tar.gz")
        let manifest = try ArtifactManifestReader.read(artifact)
        let text = manifest.checksumText.split(separator: "\n").sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }.joined(separator: "\n") + "\n"
        #expect(text == (try String(contentsOfFile: scratch.path + "/sums", encoding: .utf8)))
        #expect(manifest.entries.contains { $0.path == "link" && $0.kind == .symlink && $0.linkTarget == "a/b/data" })
        #expect(manifest.entries.first { $0.path == "a/b/data" }?.mode == 0o640)
        #expect(manifest.deltaRefusal == nil)

        // A bundle's changes.tar is a tar GNU tar reads, holding exactly the travelling members.
        var sums = try #require(HostFileManifest.parse(manifest.checksumText))
        sums["a/b/data"] = String(repeating: "0", count: 64)
        let plan = try #require(DeltaPlan(manifest: manifest, hostSums: sums, shared: []))
        #expect(Set(plan.copied.map(\.path)) == ["empty", "\(long)/file"])
        let written = try DeltaBundle.write(plan, from: artifact, to: scratch.path + "/bundle.tar")
        let listed = try await Shell.runDetached(["sh", "-c", """
            set -e; cd '\(scratch.path)'; mkdir b && tar -xf bundle.tar -C b && tar -tf b/changes.tar | LC_ALL=C sort; sha256sum < bundle.tar
            """])
        #expect(listed.status == 0, "\(listed.output)")
        #expect(listed.stdout.contains("./a/b/data\n") && listed.stdout.contains("./link\n"))
        #expect(!listed.stdout.contains("./empty\n") && !listed.stdout.contains("/file\n"))
        #expect(listed.stdout.contains(written.sha256))
    }

    @Test(arguments: [
        "../../etc/passwd", "/etc/shadow", "a/../../x", "a//b", "./a", "a/", "a\\b", "a\u{1}b", "",
    ])
    func aHostileListingIsNotUsed(path: String) {
        let good = String(repeating: "a", count: 64) + "  lib/x\n"
        #expect(HostFileManifest.parse(good) == ["lib/x": String(repeating: "a", count: 64)])
        #expect(HostFileManifest.parse(good + String(repeating: "b", count: 64) + "  " + path + "\n") == nil)
    }

    @Test func malformedLinesAndRepeatsAreNotUsed() {
        let hash = String(repeating: "c", count: 64)
        #expect(HostFileManifest.parse(hash + " lib/x\n") == nil)
        #expect(HostFileManifest.parse(String(repeating: "C", count: 64) + "  lib/x\n") == nil)
        #expect(HostFileManifest.parse(hash + "  lib/x\n" + hash + "  lib/x\n") == nil)
        #expect(HostFileManifest.parse("") == [:])
    }
}
