import Foundation
import Release
@testable import Rollout
import Testing
import TestSupport

/// The delta's host script as a host runs it, by the real shells (`sh`, which is dash here, and
/// bash 5), `tar`, `cp`, `find`, `openssl` on real files: with bash 5 and short lists it reads
/// the lists with builtins and gives each whole to one command; elsewhere it goes through
/// `xargs` and `cmp`. Either way it must build what a full extract builds and refuse what does
/// not verify.
@Suite("delta script on the host")
struct DeltaScriptTests {
    /// A shell and whether the runner found the lists short enough for one command line.
    struct Variant: Sendable, CustomTestStringConvertible {
        var shell: String
        var direct: Bool
        var testDescription: String { "\(shell)\(direct ? ", lists whole" : ", lists through xargs")" }
    }

    static let variants = [Variant(shell: "sh", direct: true), Variant(shell: "sh", direct: false),
                           Variant(shell: "bash", direct: true), Variant(shell: "bash", direct: false)]

    /// Two releases of an app (nested directories with their own modes, an executable, a private
    /// file, empty files, symlinks, distinct modification times, names with spaces and quotes;
    /// the second changes, adds and removes files and retargets a link), packed by GNU tar.
    struct Apps {
        let base: String
        let v1: Artifact, v2: Artifact
        let m1: ArtifactManifest, m2: ArtifactManifest

        init() async throws {
            base = NSTemporaryDirectory() + "delta-script-\(UUID().uuidString.prefix(8))"
            let made = try await Shell.runDetached(["bash", "-c", """
                set -e; mkdir -p "$1"; cd "$1"
                mkdir -p a/bin a/lib/deep/er a/private "a/with space/it's"
                printf '#!/bin/sh\\nexit 0\\n' > a/bin/restart; chmod 0755 a/bin/restart
                for i in $(seq -w 1 30); do head -c 20000 /dev/urandom > a/lib/data$i; done
                head -c 3000 /dev/urandom > "a/with space/it's/f 1"; : > a/lib/empty
                echo secret > a/private/key; chmod 0600 a/private/key; chmod 0750 a/private
                ln -s data01 a/lib/current-data; ln -s lib/deep a/deep
                touch -d '2024-01-02 03:04:05' a/lib/data0*; touch -d '2023-05-06 07:08:09' a/private/key
                cp -a a b
                head -c 20000 /dev/urandom > b/lib/data07; head -c 100 /dev/urandom > b/lib/new-file
                rm b/lib/data30; chmod 0700 b/lib/data12; ln -sfn data02 b/lib/current-data
                tar -cf v1.tar -C a .; tar -cf v2.tar -C b .
                """, "bash", base])
            #expect(made.status == 0, "\(made.output)")
            v1 = try ArtifactInspector.inspect(path: base + "/v1.tar")
            v2 = try ArtifactInspector.inspect(path: base + "/v2.tar")
            m1 = try ArtifactManifestReader.read(v1)
            m2 = try ArtifactManifestReader.read(v2)
        }

        /// A deploy root holding release `1.0.0-aaaaaaaaaaaa` (extracted by the full extract script).
        func root(_ name: String, shell: String) async throws -> String {
            let root = base + "/" + name + "/srv/web"
            for directory in ["/.cutover/incoming", "/.cutover/releases", "/releases"] {
                try FileManager.default.createDirectory(atPath: root + directory, withIntermediateDirectories: true)
            }
            let archive = root + "/.cutover/incoming/v1.tar"
            try FileManager.default.copyItem(atPath: v1.path, toPath: archive)
            let scripts = RemoteScripts(layout: HostLayout(root: root), deploy: "d-1")
            let script = scripts.layout.preamble + scripts.extract(release: try releaseID("1.0.0-aaaaaaaaaaaa"), archive: archive, sha256: v1.sha256, gzip: false, shared: [])
            let result = try await Shell.runDetached([shell, "-c", script])
            #expect(result.status == 0, "\(result.output)")
            return root
        }

        /// Writes the bundle for a host holding release 1 into `root`'s incoming directory and
        /// runs the delta's extract of release `2.0.0-bbbbbbbbbbbb` there; `path`: directories put first on PATH.
        func delta(_ root: String, _ variant: Variant, path: String? = nil) async throws -> Shell.Result {
            let sums = try #require(HostFileManifest.parse(m1.checksumText))
            let plan = try #require(DeltaPlan(manifest: m2, hostSums: sums, shared: []))
            #expect(plan.longestArgumentList < RemoteScripts.directArgumentBytes)
            let bundle = root + "/.cutover/incoming/b.delta.tar"
            let written = try DeltaBundle.write(plan, from: v2, to: bundle)
            let scripts = RemoteScripts(layout: HostLayout(root: root), deploy: "d-1")
            let script = scripts.layout.preamble + scripts.extract(
                release: try releaseID("2.0.0-bbbbbbbbbbbb"), archive: bundle, sha256: v2.sha256, gzip: false, shared: [], archiveSHA256: written.sha256,
                unpack: scripts.deltaUnpack(from: try releaseID("1.0.0-aaaaaaaaaaaa"), release: try releaseID("2.0.0-bbbbbbbbbbbb"), directArguments: variant.direct),
                leftovers: RemoteScripts.deltaLeftovers)
            let environment = path.map { ["PATH": $0 + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")] }
            return try await Shell.runDetached([variant.shell, "-c", script], environment: environment)
        }
    }

    /// Every node: type, mode, link target; size and modification time of files; each file's sha256.
    static func tree(_ directory: String) async throws -> String {
        let listed = try await Shell.runDetached(["sh", "-c", """
            cd "$1" && { find . \\( -type d -printf '%y %m %p\\n' \\) -o \\( -type l -printf '%y %p -> %l\\n' \\) -o -printf '%y %m %s %T@ %p\\n'; \
            find . -type f -exec sha256sum {} +; } | LC_ALL=C sort
            """, "sh", directory])
        #expect(listed.status == 0, "\(listed.output)")
        return listed.stdout
    }

    static func entries(_ directory: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).sorted()
    }

    @Test(arguments: variants)
    func aDeltaBuildsWhatAFullExtractBuilds(variant: Variant) async throws {
        let apps = try await Apps()
        let root = try await apps.root("delta", shell: variant.shell)
        let old = try await Self.tree(root + "/releases/1.0.0-aaaaaaaaaaaa")
        // Where bash reads the lists itself, no `xargs` or `cmp` may start: these ones fail.
        let trap = apps.base + "/trap"
        try FileManager.default.createDirectory(atPath: trap, withIntermediateDirectories: true)
        for tool in ["xargs", "cmp"] {
            try "#!/bin/sh\necho \"$0 started\" >&2\nexit 99\n".write(toFile: trap + "/" + tool, atomically: true, encoding: .utf8)
            chmod(trap + "/" + tool, 0o755)
        }
        let bashReads = variant.shell == "bash" && variant.direct
        let result = try await apps.delta(root, variant, path: bashReads ? trap : nil)
        #expect(result.status == 0, "\(result.output)")
        #expect(result.stdout.hasSuffix("extracted\n"), "\(result.output)")

        // The same release extracted whole, by the same shell.
        let reference = apps.base + "/full/srv/web"
        for directory in ["/.cutover/incoming", "/.cutover/releases", "/releases"] {
            try FileManager.default.createDirectory(atPath: reference + directory, withIntermediateDirectories: true)
        }
        try FileManager.default.copyItem(atPath: apps.v2.path, toPath: reference + "/.cutover/incoming/v2.tar")
        let scripts = RemoteScripts(layout: HostLayout(root: reference), deploy: "d-1")
        let full = try await Shell.runDetached([variant.shell, "-c", scripts.layout.preamble + scripts.extract(
            release: try releaseID("2.0.0-bbbbbbbbbbbb"), archive: reference + "/.cutover/incoming/v2.tar", sha256: apps.v2.sha256, gzip: false, shared: [])])
        #expect(full.status == 0, "\(full.output)")

        let built = try await Self.tree(root + "/releases/2.0.0-bbbbbbbbbbbb")
        #expect(built == (try await Self.tree(reference + "/releases/2.0.0-bbbbbbbbbbbb")))
        #expect(built.contains("l ./lib/current-data -> data02") && built.contains("./with space/it's/f 1"), "\(built)")
        #expect(try await Self.tree(root + "/releases/1.0.0-aaaaaaaaaaaa") == old, "the older release is untouched")
        // The listing kept for the next delta is the artifact's; nothing is left in incoming.
        #expect(try String(contentsOfFile: root + "/.cutover/releases/2.0.0-bbbbbbbbbbbb.files", encoding: .utf8) == apps.m2.checksumText)
        #expect(Self.entries(root + "/.cutover/incoming") == [])
        #expect(Self.entries(root + "/releases") == ["1.0.0-aaaaaaaaaaaa", "2.0.0-bbbbbbbbbbbb"])
    }

    @Test(arguments: variants)
    func aTreeThatDoesNotVerifyIsRemovedAndNeverSwitchable(variant: Variant) async throws {
        let apps = try await Apps()
        // An unchanged file altered in the older release: its copy does not hash right.
        let altered = try await apps.root("altered", shell: variant.shell)
        try Data("tampered".utf8).write(to: URL(fileURLWithPath: altered + "/releases/1.0.0-aaaaaaaaaaaa/lib/data03"))
        let refused = try await apps.delta(altered, variant)
        #expect(RemoteExit(refused.status) == .deltaMismatch, "\(refused.output)")
        #expect(refused.stderr.contains("sha256 differs"), "\(refused.output)")

        // A directory of the older release replaced by a link to a copy of it: never followed.
        let linked = try await apps.root("linked", shell: variant.shell)
        let moved = try await Shell.runDetached(["sh", "-c", "set -e; cd \"$1\"; mv releases/1.0.0-aaaaaaaaaaaa/lib/deep ../deep-copy; ln -s \"$1/../deep-copy\" releases/1.0.0-aaaaaaaaaaaa/lib/deep", "sh", linked])
        #expect(moved.status == 0, "\(moved.output)")
        let notFollowed = try await apps.delta(linked, variant)
        #expect(RemoteExit(notFollowed.status) == .deltaMismatch, "\(notFollowed.output)")
        #expect(notFollowed.stderr.contains("lib/deep is a symlink in the older release"), "\(notFollowed.output)")

        // An extra file where the artifact has a directory's place: the tree differs.
        let extra = try await apps.root("extra", shell: variant.shell)
        let planted = try await Shell.runDetached(["sh", "-c", "set -e; cd \"$1\"; rm releases/1.0.0-aaaaaaaaaaaa/lib/data05; mkdir releases/1.0.0-aaaaaaaaaaaa/lib/data05; echo x > releases/1.0.0-aaaaaaaaaaaa/lib/data05/inner", "sh", extra])
        #expect(planted.status == 0, "\(planted.output)")
        let differs = try await apps.delta(extra, variant)
        #expect(RemoteExit(differs.status) == .deltaMismatch, "\(differs.output)")
        #expect(differs.stderr.contains("the tree differs"), "\(differs.output)")

        for root in [altered, linked, extra] {
            #expect(Self.entries(root + "/releases") == ["1.0.0-aaaaaaaaaaaa"], "\(root)")
            #expect(Self.entries(root + "/.cutover/incoming") == [], "\(root)")
            #expect(!FileManager.default.fileExists(atPath: root + "/.cutover/releases/2.0.0-bbbbbbbbbbbb.sha256"))
        }
    }
}
