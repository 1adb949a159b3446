import Foundation
@testable import Rollout
import Synchronization
import Testing
import TestSupport

/// Delta pushes on real sshd hosts: a host holding an older release gets only the changed files
/// and builds the new release from its older one; the result equals a full extract, the older
/// release is untouched, and nothing a host holds can make a wrong tree switchable.
@Suite("Delta deploys on real sshd hosts", .timeLimit(.minutes(4)))
struct DeltaDeployTests {
    /// An app of 40 data files of 48 KiB (random, so gzip cannot shrink them), with the shapes a
    /// tree can have: nested directories with their own modes, an executable, a private file,
    /// empty files, symlinks to a file and to a directory, distinct modification times.
    static func buildApp(_ fixture: DeployFixture, version: String, change: (String) throws -> [String] = { _ in [] }) async throws -> String {
        let app = fixture.directory + "/delta-app-" + version
        let base = fixture.directory + "/delta-app-base"
        if !FileManager.default.fileExists(atPath: base) {
            let script = """
            set -e
            mkdir -p '\(base)/bin' '\(base)/lib/deep/er' '\(base)/private' '\(base)/empty-dir'
            printf '#!/bin/sh\\necho "$CUTOVER_RELEASE" > "$CUTOVER_DEPLOY_ROOT/shared/running"\\n' > '\(base)/bin/restart'
            printf '#!/bin/sh\\nexit 0\\n' > '\(base)/bin/health'
            chmod 0755 '\(base)/bin/restart' '\(base)/bin/health'
            for i in $(seq -w 1 40); do head -c 49152 /dev/urandom > '\(base)'/lib/data$i; done
            for i in 1 2 3; do head -c 1000 /dev/urandom > '\(base)'/lib/deep/er/f$i; done
            : > '\(base)/lib/empty'; : > '\(base)/lib/deep/empty'
            echo secret > '\(base)/private/key'; chmod 0600 '\(base)/private/key'; chmod 0750 '\(base)/private'
            ln -s data01 '\(base)/lib/current-data'; ln -s lib/deep '\(base)/deep'
            touch -d '2024-01-02 03:04:05' '\(base)'/lib/data0*
            touch -d '2023-05-06 07:08:09' '\(base)/lib/deep/er/f1' '\(base)/private/key'
            """
            let made = try await Shell.runDetached(["sh", "-c", script])
            guard made.status == 0 else { throw TestSupportError(made.output) }
        }
        let copied = try await Shell.runDetached(["sh", "-c", "rm -rf '\(app)' && cp -a '\(base)' '\(app)' && echo \(version) > '\(app)/VERSION'"])
        guard copied.status == 0 else { throw TestSupportError(copied.output) }
        for command in try change(app) {
            let done = try await Shell.runDetached(["sh", "-c", "set -e; cd '\(app)'; " + command])
            guard done.status == 0 else { throw TestSupportError(done.output) }
        }
        let path = fixture.directory + "/delta-\(version).tar.gz"
        let packed = try await Shell.runDetached(["sh", "-c", "tar -czf '\(path)' -C '\(app)' ."])
        guard packed.status == 0 else { throw TestSupportError(packed.output) }
        return path
    }

    /// The second release: two files changed, one added, one removed, a mode changed on an
    /// unchanged file, a symlink retargeted, a new empty file.
    static func changes(_ app: String) -> [String] {
        [
            "head -c 49152 /dev/urandom > lib/data07",
            "head -c 100 /dev/urandom > lib/deep/er/f2",
            "head -c 5000 /dev/urandom > lib/new-file",
            "rm lib/data40",
            "chmod 0700 lib/data12",
            "ln -sfn data02 lib/current-data",
            ": > lib/deep/er/new-empty",
        ]
    }

    /// Every node of a tree: type, mode, link target; size and mtime of files (directories'
    /// change as the shared-path step links into them); each file's sha256.
    static func tree(_ directory: String) async throws -> String {
        let listed = try await Shell.runDetached(["sh", "-c", """
            cd '\(directory)' && { find . \\( -type d -printf '%y %m %p\\n' \\) -o \\( -type l -printf '%y %p -> %l\\n' \\) -o -printf '%y %m %s %T@ %p\\n'; \
            find . -type f -exec sha256sum {} +; } | LC_ALL=C sort
            """])
        guard listed.status == 0 else { throw TestSupportError(listed.output) }
        return listed.stdout
    }

    static func inodes(_ directory: String) async throws -> Set<String> {
        let listed = try await Shell.runDetached(["sh", "-c", "find '\(directory)' -type f -printf '%i\\n'"])
        return Set(listed.stdout.split(separator: "\n").map(String.init))
    }

    static func bytesSent(_ report: DeployReport, _ host: String) -> Int64 {
        report.hosts.first { $0.host == host }?.bytesSent ?? -1
    }

    @Test func aDeltaBuildsWhatAFullExtractBuildsAndLeavesTheOlderReleaseAlone() async throws {
        try await TestFleet.with(hosts: 2) { fleet in
            let fixture = try DeployFixture(fleet: fleet)
            let playbook = try fixture.playbook(strategy: "all-at-once")
            let v1 = try await Self.buildApp(fixture, version: "1.0.0")
            let v2 = try await Self.buildApp(fixture, version: "2.0.0", change: Self.changes)
            let v2Size = try #require(try FileManager.default.attributesOfItem(atPath: v2)[.size] as? NSNumber).int64Value

            let first = try await Deployment(fixture.request(playbook, artifact: v1)).run(events: { _ in })
            #expect(first.outcome == .promoted)
            let old = try #require(first.release)
            let oldDir = fleet.member("h1").srv + "/web/releases/" + old
            let oldTree = try await Self.tree(oldDir)
            let oldInodes = try await Self.inodes(oldDir)
            #expect(Self.bytesSent(first, "h1") > 0)

            // h1 gets a delta, h2 the whole artifact (--no-delta).
            var deltaRequest = fixture.request(playbook, artifact: v2)
            deltaRequest.connection.limit = "h1"
            let deltaLog = DeployEventLog()
            let delta = try await Deployment(deltaRequest).run(events: deltaLog.sink)
            #expect(delta.outcome == .promoted, "\(delta.reason ?? "")")
            let uploaded = deltaLog.details(.upload, .ok).joined(separator: "\n")
            #expect(uploaded.contains("delta from \(old)"), "\(uploaded)")
            #expect(Self.bytesSent(delta, "h1") > 0 && Self.bytesSent(delta, "h1") < v2Size / 4, "sent \(Self.bytesSent(delta, "h1")) of \(v2Size)")

            var fullRequest = fixture.request(playbook, artifact: v2)
            fullRequest.connection.limit = "h2"
            fullRequest.noDelta = true
            let fullLog = DeployEventLog()
            let full = try await Deployment(fullRequest).run(events: fullLog.sink)
            #expect(full.outcome == .promoted)
            #expect(Self.bytesSent(full, "h2") >= v2Size, "--no-delta sent \(Self.bytesSent(full, "h2")) of \(v2Size)")
            #expect(!fullLog.details(.upload, .ok).joined().contains("delta"))

            let release = try #require(delta.release)
            #expect(full.release == release)
            let deltaTree = try await Self.tree(fleet.member("h1").srv + "/web/releases/" + release)
            let fullTree = try await Self.tree(fleet.member("h2").srv + "/web/releases/" + release)
            #expect(deltaTree == fullTree)
            #expect(deltaTree.contains("l ./lib/current-data -> data02"), "\(deltaTree)")
            #expect(fixture.current("h1") == release)

            // The older release: byte for byte, mode for mode as it was, sharing no inode with the new one.
            #expect(try await Self.tree(oldDir) == oldTree)
            let newInodes = try await Self.inodes(fleet.member("h1").srv + "/web/releases/" + release)
            #expect(oldInodes.isDisjoint(with: newInodes))
            // The host keeps the new release's listing for the next delta.
            let listing = try String(contentsOfFile: fleet.member("h1").srv + "/web/.cutover/releases/\(release).files", encoding: .utf8)
            #expect(listing.contains("  lib/new-file\n"))
        }
    }

    @Test func nothingAHostHoldsMakesAWrongTreeSwitchable() async throws {
        try await TestFleet.with(hosts: 3) { fleet in
            let fixture = try DeployFixture(fleet: fleet)
            let playbook = try fixture.playbook(strategy: "all-at-once")
            let v1 = try await Self.buildApp(fixture, version: "1.0.0")
            let v2 = try await Self.buildApp(fixture, version: "2.0.0", change: Self.changes)
            let first = try await Deployment(fixture.request(playbook, artifact: v1)).run(events: { _ in })
            #expect(first.outcome == .promoted)
            let old = try #require(first.release)
            func path(_ host: String, _ rest: String) -> String { fleet.member(host).srv + "/web/" + rest }

            // h1: an unchanged file of the older release was altered after it was extracted.
            try Data("tampered".utf8).write(to: URL(fileURLWithPath: path("h1", "releases/\(old)/lib/data03")))
            // h2: the listing lies: it says the older release already holds the new lib/data07,
            // and an unchanged file is a symlink to a file outside with the same content.
            let listingPath = path("h2", ".cutover/releases/\(old).files")
            let v2Listing = try await Shell.runDetached(["sh", "-c", "cd '\(fixture.directory)/delta-app-2.0.0' && sha256sum lib/data07"])
            let newHash = String(v2Listing.stdout.prefix(64))
            var lying = try String(contentsOfFile: listingPath, encoding: .utf8)
            lying = lying.split(separator: "\n").map { $0.hasSuffix("  lib/data07") ? newHash + "  lib/data07" : String($0) }.joined(separator: "\n") + "\n"
            try lying.write(toFile: listingPath, atomically: true, encoding: .utf8)
            let outside = fleet.member("h2").srv + "/outside-data05"
            try FileManager.default.copyItem(atPath: path("h2", "releases/\(old)/lib/data05"), toPath: outside)
            chmod(outside, 0o640)
            try FileManager.default.removeItem(atPath: path("h2", "releases/\(old)/lib/data05"))
            try FileManager.default.createSymbolicLink(atPath: path("h2", "releases/\(old)/lib/data05"), withDestinationPath: "/srv/outside-data05")
            // h3: a hostile listing (paths that climb, are absolute, hold a newline).
            let hostile = String(repeating: "a", count: 64) + "  ../../../etc/passwd\n" + String(repeating: "b", count: 64) + "  /etc/shadow\n"
            try hostile.write(toFile: path("h3", ".cutover/releases/\(old).files"), atomically: true, encoding: .utf8)

            let log = DeployEventLog()
            let second = try await Deployment(fixture.request(playbook, artifact: v2)).run(events: log.sink)
            #expect(second.outcome == .promoted, "\(second.reason ?? "")")
            let release = try #require(second.release)
            let skipped = Set(log.steps(.extract, .skipped))
            #expect(skipped == ["h1", "h2"], "the verification refused the delta on h1 and h2: \(log.details(.extract, .skipped))")
            #expect(log.details(.upload, .ok).contains { $0.contains("whole artifact: no delta from \(old)") }, "h3 fell back to a full push")

            // Every host holds exactly the artifact: compare with h3, which got it whole.
            let expected = try await Self.tree(path("h3", "releases/" + release))
            #expect(expected.contains("lib/data07"))
            for host in ["h1", "h2"] {
                #expect(try await Self.tree(path(host, "releases/" + release)) == expected, "\(host)")
                #expect(fixture.current(host) == release)
            }
            // The file outside was only read: its mode and content are as they were.
            let mode = try #require(try FileManager.default.attributesOfItem(atPath: outside)[.posixPermissions] as? NSNumber)
            #expect(mode.intValue == 0o640)
        }
    }

    /// A directory of the older release replaced by a link to a copy of it elsewhere: the
    /// content would verify, but the copy would read outside the release, so the delta is
    /// refused and the host gets the whole artifact.
    @Test func aLinkInTheMiddleOfAnOlderPathIsNeverFollowed() async throws {
        try await TestFleet.with(hosts: 1) { fleet in
            let fixture = try DeployFixture(fleet: fleet)
            let playbook = try fixture.playbook(strategy: "all-at-once")
            let v1 = try await Self.buildApp(fixture, version: "1.0.0")
            let v2 = try await Self.buildApp(fixture, version: "2.0.0", change: Self.changes)
            let first = try await Deployment(fixture.request(playbook, artifact: v1)).run(events: { _ in })
            #expect(first.outcome == .promoted)
            let old = try #require(first.release)
            let root = fleet.member("h1").srv + "/web/"
            let outside = fleet.member("h1").srv + "/outside-deep"
            let moved = try await Shell.runDetached(["sh", "-c", "set -e; mv '\(root)releases/\(old)/lib/deep' '\(outside)'; ln -s /srv/outside-deep '\(root)releases/\(old)/lib/deep'"])
            #expect(moved.status == 0, "\(moved.output)")

            let log = DeployEventLog()
            let second = try await Deployment(fixture.request(playbook, artifact: v2)).run(events: log.sink)
            #expect(second.outcome == .promoted, "\(second.reason ?? "")")
            #expect(log.steps(.extract, .skipped) == ["h1"])
            #expect(log.details(.extract, .skipped).contains { $0.contains("lib/deep is a symlink in the older release") }, "\(log.details(.extract, .skipped))")
            #expect(fixture.current("h1") == second.release)
        }
    }
    /// The commands a deploy sent its hosts, as traced for `--verbose`.
    final class SentCommands: Sendable {
        private let texts = Mutex<[String]>([])
        var all: [String] { texts.withLock { $0 } }
        var observer: CommandObserver {
            CommandObserver(perConnection: { [self] in { event in
                if case .command(_, let text) = event { self.texts.withLock { $0.append(text) } }
            } })
        }
    }

    /// The listing of the release `current` points at comes with the lease: the delta reads no
    /// listing in a round trip of its own. When `current` is not the release the delta starts
    /// from (the newest one with a listing), the delta reads that one's listing separately.
    @Test func theListingOfTheCurrentReleaseComesWithTheLease() async throws {
        try await TestFleet.with(hosts: 1) { fleet in
            let fixture = try DeployFixture(fleet: fleet)
            let playbook = try fixture.playbook(strategy: "all-at-once")
            let v1 = try await Self.buildApp(fixture, version: "1.0.0")
            let v2 = try await Self.buildApp(fixture, version: "2.0.0", change: Self.changes)
            let v3 = try await Self.buildApp(fixture, version: "3.0.0", change: { Self.changes($0) + ["head -c 700 /dev/urandom > lib/data03"] })
            let first = try await Deployment(fixture.request(playbook, artifact: v1)).run(events: { _ in })
            #expect(first.outcome == .promoted)
            let r1 = try #require(first.release)
            let separateRead = "then cat \"$F\""

            var request = fixture.request(playbook, artifact: v2)
            let sent = SentCommands()
            request.connection.commandObserver = sent.observer
            let log = DeployEventLog()
            let second = try await Deployment(request).run(events: log.sink)
            #expect(second.outcome == .promoted, "\(second.reason ?? "")")
            let r2 = try #require(second.release)
            #expect(log.details(.upload, .ok).contains { $0.contains("delta from \(r1)") }, "\(log.details(.upload, .ok))")
            #expect(sent.all.contains { $0.contains("head -c \(LeaseListing.limit + 1)") }, "the lease round trip reads the listing")
            #expect(!sent.all.contains { $0.contains(separateRead) }, "no round trip of its own for the listing")

            // `current` back on the first release: the lease brings r1's listing, the delta starts
            // from r2 (the newest), whose listing it reads itself.
            let root = fleet.member("h1").srv + "/web"
            let relinked = try await Shell.runDetached(["sh", "-c", "ln -sfn 'releases/\(r1)' '\(root)/current'"])
            #expect(relinked.status == 0, "\(relinked.output)")
            var third = fixture.request(playbook, artifact: v3)
            let sentThird = SentCommands()
            third.connection.commandObserver = sentThird.observer
            let thirdLog = DeployEventLog()
            let report = try await Deployment(third).run(events: thirdLog.sink)
            #expect(report.outcome == .promoted, "\(report.reason ?? "")")
            #expect(thirdLog.details(.upload, .ok).contains { $0.contains("delta from \(r2)") }, "\(thirdLog.details(.upload, .ok))")
            #expect(sentThird.all.contains { $0.contains(separateRead) }, "the listing of \(r2) read in a round trip of its own")
            let release = try #require(report.release)
            let full = try await Shell.runDetached(["sh", "-c", "mkdir -p '\(fixture.directory)/v3' && tar -xzf '\(v3)' -C '\(fixture.directory)/v3'"])
            #expect(full.status == 0)
            let want = try await Self.tree(fixture.directory + "/v3")
            let got = try await Self.tree(root + "/releases/" + release)
            // Every file of the release the delta built holds the artifact's bytes, and no other file is there.
            func sums(_ tree: String) -> Set<Substring> { Set(tree.split(separator: "\n").filter { $0.dropFirst(64).hasPrefix("  ./") }) }
            #expect(sums(got) == sums(want) && sums(want).count > 40)
        }
    }
}
