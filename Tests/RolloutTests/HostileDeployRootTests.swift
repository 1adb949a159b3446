import Foundation
import Rollout
import Release
import Testing
import TestSupport

/// A deploy root another local user can write into, or could once (README, "Hostile input"):
/// the deploy is refused there, never writes through a link planted in it, and never trusts a
/// release it did not extract. Real sshd hosts; the other user is a real account (`setpriv`).
@Suite("A deploy root other users can reach", .timeLimit(.minutes(3)))
struct HostileDeployRootTests {
    /// Runs `sh -c script` (as root, like the test) with `arguments` as `$1`…; throws when it fails.
    @discardableResult
    func sh(_ script: String, _ arguments: String...) async throws -> String {
        let result = try await Shell.runDetached(["sh", "-c", "set -e; " + script, "sh"] + arguments)
        guard result.status == 0 else { throw TestSupportError("\(script): \(result.output)") }
        return result.stdout
    }

    /// A file only the login user may read or write (0600, `42`), at `/srv/private/key` as the host sees it.
    func privateFile(on member: TestFleet.Member, user: String) async throws -> String {
        try await sh("install -d -o \"$2\" -m 0700 \"$1/private\"; printf '42\\n' > \"$1/private/key\"; chown \"$2\" \"$1/private/key\"; chmod 0600 \"$1/private/key\"",
                     member.srv, user)
        return member.srv + "/private/key"
    }

    /// Mode (octal, as `stat %a` prints it) and owner of a path.
    func modeAndOwner(_ path: String) async throws -> String {
        try await sh("stat -c '%a %U' \"$1\"", path).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func entries(_ path: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted()
    }

    @Test func aLinkPlantedUnderAFixedNameIsNeverWrittenThrough() async throws {
        try await OtherLocalUser.with { other in
            try await TestFleet.with(hosts: 3) { fleet in
                let fixture = try DeployFixture(fleet: fleet)
                let playbook = try fixture.playbook(strategy: "all-at-once", maxFailures: "2")
                let artifact = try await fixture.artifact(version: "1.0.0")
                var keys: [String] = []
                for member in fleet.members {
                    keys.append(try await privateFile(on: member, user: fleet.user))
                    // .cutover was left open to everyone (a shared group, a careless chmod).
                    try await sh("install -d -o \"$2\" -m 0755 \"$1/web\"; install -d -o \"$2\" -m 0777 \"$1/web/.cutover\"", member.srv, fleet.user)
                }
                let meta = { (host: String) in fleet.member(host).srv + "/web/.cutover" }
                // h1: still open, with the fencing token's file aimed at the login user's key.
                try await other.run(["ln", "-s", "/srv/private/key", meta("h1") + "/fence"])
                // h2: closed since, but the links planted meanwhile remain under names the lease writes.
                try await other.run(["ln", "-s", "/srv/private/key", meta("h2") + "/lock.tmp"])
                try await other.run(["ln", "-s", "/srv/private/key", meta("h2") + "/decision.tmp"])
                // h3: closed since, the fence link remains.
                try await other.run(["ln", "-s", "/srv/private/key", meta("h3") + "/fence"])
                try await sh("chmod 0700 \"$1\" \"$2\"", meta("h2"), meta("h3"))

                let log = DeployEventLog()
                let report = try await Deployment(fixture.request(playbook, artifact: artifact)).run(events: log.sink)
                for key in keys {
                    #expect(try String(contentsOfFile: key, encoding: .utf8) == "42\n", "\(key) was written through a planted link")
                }
                let refusals = log.details(.lease, .failed)
                #expect(Set(log.steps(.lease, .failed)) == ["h1", "h3"], "\(refusals)")
                #expect(refusals.contains { $0.contains("/srv/web/.cutover is owned by cutover with mode 777") }, "\(refusals)")
                #expect(refusals.contains { $0.contains("/srv/web/.cutover/fence is a symbolic link") }, "\(refusals)")
                // h2 deploys: what it writes goes to new files renamed into place.
                #expect(fixture.current("h2") == report.release, "\(report.reason ?? "")")
                #expect(fixture.current("h1") == nil && fixture.current("h3") == nil)
                #expect(!fixture.journal("h2").isEmpty && fixture.journal("h1").isEmpty)
            }
        }
    }

    @Test func aDeployRootOthersCanWriteIsRefusedAndNothingIsWritten() async throws {
        try await OtherLocalUser.with { other in
            try await TestFleet.with(hosts: 4) { fleet in
                let fixture = try DeployFixture(fleet: fleet)
                let playbook = try fixture.playbook(strategy: "all-at-once", maxFailures: "3")
                let artifact = try await fixture.artifact(version: "1.0.0")
                let web = { (host: String) in fleet.member(host).srv + "/web" }
                // h1: the login user's, but group-writable. h2: another user's, like /tmp.
                // h3: fine but for .cutover/incoming, where the upload waits for tar.
                try await sh("install -d -o \"$2\" -m 0775 \"$1\"", web("h1"), fleet.user)
                try await sh("install -d -o \"$2\" -m 1777 \"$1\"", web("h2"), other.name)
                try await sh("install -d -o \"$2\" -m 0755 \"$1\"; install -d -o \"$2\" -m 0700 \"$1/.cutover\"; install -d -o \"$2\" -m 0777 \"$1/.cutover/incoming\"",
                             web("h3"), fleet.user)

                let log = DeployEventLog()
                let report = try await Deployment(fixture.request(playbook, artifact: artifact)).run(events: log.sink)
                let refusals = log.details(.lease, .failed)
                #expect(Set(log.steps(.lease, .failed)) == ["h1", "h2", "h3"], "\(refusals)")
                #expect(refusals.contains { $0.contains("/srv/web is owned by cutover with mode 775") }, "\(refusals)")
                #expect(refusals.contains { $0.contains("/srv/web is owned by \(other.name) with mode 1777") }, "\(refusals)")
                #expect(refusals.contains { $0.contains("/srv/web/.cutover/incoming is owned by cutover with mode 777") }, "\(refusals)")
                #expect(refusals.allSatisfy { $0.contains("writable by no one else") }, "\(refusals)")
                #expect(entries(web("h1")) == [])
                #expect(entries(web("h2")) == [])
                #expect(entries(web("h3")) == [".cutover"])
                #expect(entries(web("h3") + "/.cutover") == ["incoming"])
                #expect(entries(web("h3") + "/.cutover/incoming") == [])
                // h4: Cutover made the deploy root itself: .cutover is the login user's alone.
                #expect(fixture.current("h4") == report.release)
                #expect(try await modeAndOwner(web("h4")) == "755 cutover")
                #expect(try await modeAndOwner(web("h4") + "/.cutover") == "700 cutover")
                #expect(try await modeAndOwner(web("h4") + "/.cutover/incoming") == "700 cutover")
            }
        }
    }

    @Test func aReleaseFoundOnTheHostIsTrustedOnlyWhenItsManifestMatches() async throws {
        try await TestFleet.with(hosts: 2) { fleet in
            let fixture = try DeployFixture(fleet: fleet)
            let playbook = try fixture.playbook(strategy: "all-at-once")
            let artifact = try await fixture.artifact(version: "1.0.0")
            let sha256 = String(try await sh("sha256sum < \"$1\"", artifact).prefix(64))
            let release = try ReleaseID(version: "1.0.0", sha256: sha256).description
            // A release directory under the predictable name, not extracted from this artifact:
            // h1 without a manifest, h2 with one recording other bytes.
            for member in fleet.members {
                let fake = member.srv + "/web/releases/" + release
                try await sh("""
                    mkdir -p "$1/bin"; echo fake > "$1/VERSION"
                    printf '#!/bin/sh\\necho fake > "$CUTOVER_DEPLOY_ROOT/shared/running"\\n' > "$1/bin/restart"
                    printf '#!/bin/sh\\nexit 0\\n' > "$1/bin/health"; chmod 0755 "$1/bin/restart" "$1/bin/health"
                    """, fake)
            }
            try await sh("install -d -m 0700 \"$1/.cutover\" \"$1/.cutover/releases\"; printf '%064d\\n' 0 > \"$1/.cutover/releases/$2.sha256\"",
                         fleet.member("h2").srv + "/web", release)
            try await Shell.runDetached(["chown", "-R", fleet.user] + fleet.members.map { $0.srv + "/web" })

            let log = DeployEventLog()
            let report = try await Deployment(fixture.request(playbook, artifact: artifact)).run(events: log.sink)
            #expect(report.outcome == .promoted, "\(report.reason ?? "")")
            #expect(report.release == release)
            for member in fleet.members {
                let releases = member.srv + "/web/releases"
                #expect(try String(contentsOfFile: releases + "/" + release + "/VERSION", encoding: .utf8) == "1.0.0\n", "\(member.name)")
                #expect(fixture.running(member.name) == release, "\(member.name) ran the planted release")
                // The planted one is kept aside for whoever looks into it, never run again.
                let aside = entries(releases).filter { $0.hasPrefix(".untrusted-") }
                #expect(aside.count == 1, "\(member.name): \(entries(releases))")
                #expect(fixture.journal(member.name).contains("step=release-untrusted"), "\(member.name)")
                let manifest = member.srv + "/web/.cutover/releases/" + release + ".sha256"
                #expect((try? String(contentsOfFile: manifest, encoding: .utf8)) == sha256 + "\n", "\(member.name)")
            }
            #expect(Set(log.steps(.upload, .ok)) == ["h1", "h2"])

            // Extracted by Cutover and recorded: the same artifact again is not uploaded.
            let again = DeployEventLog()
            #expect(try await Deployment(fixture.request(playbook, artifact: artifact)).run(events: again.sink).outcome == .promoted)
            #expect(Set(again.steps(.upload, .skipped)) == ["h1", "h2"])
        }
    }
}
