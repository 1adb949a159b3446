import Foundation
@testable import Rollout
import Testing
import TestSupport

/// The host's own check after extraction (issue #16): the local artifact check is the first
/// line, this is the second. The exact script a host runs, run by the real `sh`, `tar`, `find`
/// and `readlink` on real files (an archive the local check would refuse reaches it here).
@Suite("extract script on the host")
struct ExtractScriptTests {
    /// A deploy root `R` with `.cutover/incoming/a.tar.gz` built from `tree` (a shell script run
    /// in an empty directory), and an `outside` file beside the deploy root.
    func setUp(_ tree: String) async throws -> (root: String, archive: String, outside: String) {
        let base = NSTemporaryDirectory() + "extract-\(UUID().uuidString.prefix(8))"
        let root = base + "/srv/web"
        try FileManager.default.createDirectory(atPath: root + "/.cutover/incoming", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: root + "/releases", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: base + "/tree", withIntermediateDirectories: true)
        try "secret of another user\n".write(toFile: base + "/srv/outside.env", atomically: true, encoding: .utf8)
        let archive = root + "/.cutover/incoming/a.tar.gz"
        let made = try await Shell.runDetached(["sh", "-c", "set -e; cd \"$1\"; \(tree); tar -czf \"$2\" .", "sh", base + "/tree", archive])
        #expect(made.status == 0, "\(made.output)")
        return (root, archive, base + "/srv/outside.env")
    }

    /// Runs the extract script; `sha256`: what the upload verified (by default, the archive's).
    func run(_ root: String, _ archive: String, sha256: String? = nil, shared: [String] = [], preserveModes: Bool = false,
             shell: String = "sh", environment: [String: String]? = nil) async throws -> Shell.Result {
        let scripts = RemoteScripts(layout: HostLayout(root: root), deploy: "d-1")
        let verified: String
        if let sha256 { verified = sha256 } else { verified = try await String(Shell.runDetached(["sha256sum", archive]).stdout.prefix(64)) }
        let script = scripts.layout.preamble + scripts.extract(release: try releaseID("2.0.0-abcabcabcabc"), archive: archive, sha256: verified, gzip: true,
                                                               shared: shared, preserveModes: preserveModes)
        return try await Shell.runDetached([shell, "-c", script], environment: environment)
    }

    @Test func anUploadThatChangedSinceItWasVerifiedIsNotExtracted() async throws {
        // The upload verified other bytes than those now under its name (swapped in between).
        let (root, archive, _) = try await setUp("mkdir bin; echo evil > bin/restart")
        let verified = String(repeating: "ab", count: 32)
        let result = try await run(root, archive, sha256: verified)
        #expect(RemoteExit(result.status) == .uploadChanged, "\(result.output)")
        #expect(result.stderr.contains("changed since its upload was verified"), "\(result.output)")
        #expect(result.stderr.contains("verified \(verified)): not extracted"), "the quoted sha256 reads as before: \(result.output)")
        #expect(!FileManager.default.fileExists(atPath: root + "/releases/2.0.0-abcabcabcabc"))
        #expect(!FileManager.default.fileExists(atPath: root + "/releases/.stage-2.0.0-abcabcabcabc"))
        #expect(!FileManager.default.fileExists(atPath: archive), "the swapped file is left for tar")
    }

    /// A release without a manifest that `current` points at (extracted before manifests
    /// existed) is kept and recorded: swapping it out would leave `current` dangling a moment.
    /// One nothing points at is set aside and replaced.
    @Test func aServingReleaseWithoutAManifestIsKeptAnUnusedOneReplaced() async throws {
        let (root, archive, _) = try await setUp("echo new > VERSION")
        let release = root + "/releases/2.0.0-abcabcabcabc"
        try FileManager.default.createDirectory(atPath: release, withIntermediateDirectories: true)
        try "old\n".write(toFile: release + "/VERSION", atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: root + "/current", withDestinationPath: "releases/2.0.0-abcabcabcabc")
        let kept = try await run(root, archive)
        #expect(kept.status == 0, "\(kept.output)")
        #expect(try String(contentsOfFile: release + "/VERSION", encoding: .utf8) == "old\n")
        #expect(FileManager.default.fileExists(atPath: root + "/.cutover/releases/2.0.0-abcabcabcabc.sha256"))
        #expect(!FileManager.default.fileExists(atPath: root + "/releases/.stage-2.0.0-abcabcabcabc"))

        let (root2, archive2, _) = try await setUp("echo new > VERSION")
        let planted = root2 + "/releases/2.0.0-abcabcabcabc"
        try FileManager.default.createDirectory(atPath: planted, withIntermediateDirectories: true)
        try "planted\n".write(toFile: planted + "/VERSION", atomically: true, encoding: .utf8)
        let replaced = try await run(root2, archive2)
        #expect(replaced.status == 0, "\(replaced.output)")
        #expect(try String(contentsOfFile: planted + "/VERSION", encoding: .utf8) == "new\n")
    }

    /// `sh` (dash: one `readlink` per link) and bash 5 (one `readlink` for all).
    @Test(arguments: ["sh", "bash"])
    func aLinkResolvingOutsideTheReleaseIsRefusedAndNothingIsRenamedIntoPlace(shell: String) async throws {
        // Each link is lexically inside; followed on disk, `config` reaches the deploy root's parent.
        let (root, archive, outside) = try await setUp("mkdir a; ln -s . a0; ln -s a0/.. a1; ln -s a1/.. a2; ln -s a2/.. a3; ln -s a3/outside.env config")
        let result = try await run(root, archive, shared: ["config"], shell: shell)
        #expect(RemoteExit(result.status) == .linkEscape, "\(result.output)")
        #expect(result.stderr.contains("resolves outside the release"), "\(result.output)")
        #expect(!FileManager.default.fileExists(atPath: root + "/releases/2.0.0-abcabcabcabc"))
        #expect(!FileManager.default.fileExists(atPath: root + "/releases/.stage-2.0.0-abcabcabcabc"))
        #expect(!FileManager.default.fileExists(atPath: root + "/shared/config"))
        // The file outside stays a file, where it was.
        #expect((try? FileManager.default.destinationOfSymbolicLink(atPath: outside)) == nil)
        #expect(try String(contentsOfFile: outside, encoding: .utf8) == "secret of another user\n")
    }

    @Test func aSharedPathBelowASymlinkIsNotFollowed() async throws {
        // `config` points inside the release (the local check lets it pass), but `shared:
        // [config/app.env]` must not move files through it.
        let (root, archive, _) = try await setUp("mkdir real; echo x > real/app.env; ln -s real config")
        let result = try await run(root, archive, shared: ["log", "config/app.env"])
        #expect(RemoteExit(result.status) == .linkEscape, "\(result.output)")
        #expect(result.stderr.contains("shared path config/app.env: config is a symlink in the release"), "\(result.output)")
        #expect(!FileManager.default.fileExists(atPath: root + "/releases/2.0.0-abcabcabcabc"))
        #expect(!FileManager.default.fileExists(atPath: root + "/shared/config"))
    }

    @Test func setIDBitsAndGroupOrOtherWriteAreStrippedUnlessPreserved() async throws {
        let tree = "mkdir -p bin data; echo x > bin/tool; chmod 4755 bin/tool; echo y > data/f; chmod 0666 data/f; chmod 2777 data"
        let (root, archive, _) = try await setUp(tree)
        let result = try await run(root, archive, shared: ["log"])
        #expect(result.status == 0, "\(result.output)")
        let release = root + "/releases/2.0.0-abcabcabcabc"
        func mode(_ path: String) -> Int { ((try? FileManager.default.attributesOfItem(atPath: release + "/" + path))?[.posixPermissions] as? Int) ?? -1 }
        #expect(mode("bin/tool") == 0o755)
        #expect(mode("data/f") == 0o644)
        #expect(mode("data") == 0o755)
        #expect(FileManager.default.fileExists(atPath: root + "/shared/log"))
        // Stat reports set-id bits too: check them from the shell.
        let stat = try await Shell.runDetached(["stat", "-c", "%a", release + "/bin/tool", release + "/data"])
        #expect(stat.stdout == "755\n755\n", "\(stat.output)")

        let (root2, archive2, _) = try await setUp(tree)
        let kept = try await run(root2, archive2, preserveModes: true)
        #expect(kept.status == 0, "\(kept.output)")
        let statKept = try await Shell.runDetached(["stat", "-c", "%a", root2 + "/releases/2.0.0-abcabcabcabc/bin/tool"])
        #expect(statKept.stdout == "4755\n", "\(statKept.output)")
    }

    /// Under bash 5 the links are listed by one `find` and resolved by one `readlink`, and no
    /// `sh` starts (a failing one first on PATH proves it); with more links than fit one command
    /// line it goes the POSIX way. Links inside pass, one link among many that leaves is named.
    @Test func underBashOneReadlinkResolvesEveryLinkAndManyGoThePOSIXWay() async throws {
        let trap = NSTemporaryDirectory() + "extract-trap-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: trap, withIntermediateDirectories: true)
        try "#!/bin/sh\necho \"$0 started\" >&2\nexit 99\n".write(toFile: trap + "/sh", atomically: true, encoding: .utf8)
        chmod(trap + "/sh", 0o755)
        let path = ["PATH": trap + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")]
        let inside = "mkdir -p a/b 'odd name'; echo x > a/b/f; ln -s a/b/f l1; ln -s ../f a/b/up; ln -s 'odd name' l2; ln -s . 'odd name/self'; ln -s a/b/nowhere dangling"

        let (root, archive, _) = try await setUp(inside)
        let passed = try await run(root, archive, shell: "bash", environment: path)
        #expect(passed.status == 0, "\(passed.output)")
        #expect(FileManager.default.fileExists(atPath: root + "/releases/2.0.0-abcabcabcabc/odd name/self"))

        let (root2, archive2, _) = try await setUp(inside + "; ln -s ../../../.. a/b/out")
        let refused = try await run(root2, archive2, shell: "bash", environment: path)
        #expect(RemoteExit(refused.status) == .linkEscape, "\(refused.output)")
        #expect(refused.stderr.contains("link a/b/out resolves outside the release"), "\(refused.output)")
        #expect(!refused.stderr.contains("started"), "\(refused.output)")

        // 400 links: more than one command line may carry here, so `sh` resolves them (no trap).
        let many = inside + "; mkdir -p links-with-a-rather-long-directory-name; for i in $(seq 1 400); do ln -s ../a/b/f links-with-a-rather-long-directory-name/link-number-$i; done"
        let (root3, archive3, _) = try await setUp(many)
        let trapped = try await run(root3, archive3, shell: "bash", environment: path)
        #expect(RemoteExit(trapped.status) == .linkEscape && trapped.stderr.contains("sh started"), "the POSIX way: \(trapped.output)")
        let (root4, archive4, _) = try await setUp(many)
        #expect(try await run(root4, archive4, shell: "bash").status == 0)
        let (root5, archive5, _) = try await setUp(many + "; ln -s ../../.. links-with-a-rather-long-directory-name/away")
        let refusedMany = try await run(root5, archive5, shell: "bash")
        #expect(RemoteExit(refusedMany.status) == .linkEscape, "\(refusedMany.output)")
        #expect(refusedMany.stderr.contains("link links-with-a-rather-long-directory-name/away resolves outside the release"), "\(refusedMany.output)")
    }
}
