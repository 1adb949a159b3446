import Foundation
import Rollout
import Testing
import TestSupport

/// What a host says about its deploy root (release directory names, where `current` points,
/// journal lines, lock fields) is data from that host, maybe crafted by whoever can write
/// there: an entry that is not a release id is never run, never chosen as a rollback target or
/// pruned, and `status` reports it as unrecognised. Every crafted name would `touch` a marker
/// `/srv/web.pwned-*` if a script ran it; no marker may appear.
@Suite(.serialized, .timeLimit(.minutes(5))) struct HostileHostStateTests {
    /// Directory names under `releases/` that are not release ids (no `/`: they are names).
    static let craftedNames = [
        "x$(touch${IFS}$R.pwned-subst)",
        "y'$(touch${IFS}$R.pwned-quote)'",
        "z\n$(touch${IFS}$R.pwned-newline)",
        "`touch${IFS}$R.pwned-backtick`",
        "1.0.0-aaaaaaaaaaaa;touch${IFS}$R.pwned-semicolon",
    ]
    /// What `ls` prints on a line of its own for the name with a newline.
    static let newlineTail = "$(touch${IFS}$R.pwned-newline)"

    /// Plants the crafted names in a host's `releases/`, journal lines naming them (the last
    /// says `current` was switched to from the newline name's tail), and, when asked, points
    /// `current` at one of them and leaves an expired lock with crafted fields.
    static func plant(_ fleet: TestFleet, _ host: String, current: String?, craftedCurrent: Bool = false, craftedLock: Bool = false) async throws {
        let root = fleet.member(host).srv + "/web"
        for name in craftedNames {
            try FileManager.default.createDirectory(atPath: root + "/releases/" + name, withIntermediateDirectories: true)
        }
        var journal = [
            "2099-01-01T00:00:00Z deploy=d-evil step=extract release=y'$(touch${IFS}$R.pwned-journal)'",
        ]
        if let current {
            journal.append("2099-01-01T00:00:01Z deploy=d-evil step=switch from=\(newlineTail) to=\(current)")
        }
        let handle = try #require(FileHandle(forWritingAtPath: root + "/.cutover/journal"))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(journal.map { $0 + "\n" }.joined().utf8))
        try handle.close()
        if craftedCurrent {
            try FileManager.default.removeItem(atPath: root + "/current")
            try FileManager.default.createSymbolicLink(atPath: root + "/current", withDestinationPath: "releases/" + craftedNames[0])
        }
        if craftedLock {
            try "owner=evil@nowhere pid 1\ndeploy=d-$(touch${IFS}$R.pwned-lock)\nexpires=0\ntoken=1\nrelease=\(craftedNames[1])\n"
                .write(toFile: root + "/.cutover/lock", atomically: true, encoding: .utf8)
        }
        let owned = try await Shell.runDetached(["chown", "-R", "\(fleet.user):", root])
        #expect(owned.status == 0, "\(owned.output)")
    }

    /// Markers a crafted name left, on any host.
    static func markers(_ fleet: TestFleet) throws -> [String] {
        try fleet.members.flatMap { member in
            try FileManager.default.contentsOfDirectory(atPath: member.srv).filter { $0.contains("pwned") }.map { "\(member.name): \($0)" }
        }
    }

    /// The release directories on a host, crafted ones included.
    static func onDisk(_ fleet: TestFleet, _ host: String) throws -> Set<String> {
        Set(try FileManager.default.contentsOfDirectory(atPath: fleet.member(host).srv + "/web/releases"))
    }

    @Test func statusAndRollbackIgnoreAndReportCraftedEntries() async throws {
        try await TestFleet.with(hosts: 2) { fleet in
            let fixture = try DeployFixture(fleet: fleet)
            let playbook = try fixture.playbook(strategy: "all-at-once")
            let v1 = try await Deployment(fixture.request(playbook, artifact: try await fixture.artifact(version: "1.0.0"))).run(events: { _ in })
            let v2 = try await Deployment(fixture.request(playbook, artifact: try await fixture.artifact(version: "2.0.0"))).run(events: { _ in })
            #expect(v2.outcome == .promoted)
            try await Self.plant(fleet, "h1", current: v2.release)
            try await Self.plant(fleet, "h2", current: v2.release, craftedCurrent: true, craftedLock: true)
            let connection = ConnectionSettings(inventoryPath: fleet.inventoryPath, sshConfigPath: "none")

            let statuses = StatusLog()
            _ = try await FleetStatus(PlaybookRequest(connection: connection, playbook: playbook)).run(events: statuses.sink)
            let h1 = try #require(statuses.report("h1"))
            #expect(h1.current == v2.release)
            #expect(h1.previous == v1.release)
            #expect(h1.releases == [v1.release, v2.release].compactMap { $0 })
            #expect(h1.lastStep?.contains("d-evil") == false, "\(h1.lastStep ?? "")")
            // Each crafted entry is reported as found (`ls -q` shows the newline as `?`).
            let shown = Self.craftedNames.map { "releases/" + $0.replacingOccurrences(of: "\n", with: "?") }
            #expect(Set(h1.unrecognised).isSuperset(of: shown), "\(h1.unrecognised)")
            #expect(h1.unrecognised.filter { $0.hasPrefix("journal: ") && $0.contains("d-evil") }.count == 2, "\(h1.unrecognised)")
            let h2 = try #require(statuses.report("h2"))
            #expect(h2.current == nil)
            #expect(h2.previous == nil)
            #expect(h2.releases == [v1.release, v2.release].compactMap { $0 })
            #expect(h2.lock?["deploy"] == nil && h2.lock?["release"] == nil, "\(h2.lock ?? [:])")
            #expect(h2.lock?["owner"] == "evil@nowhere pid 1")
            #expect(h2.unrecognised.contains("current -> releases/" + Self.craftedNames[0]), "\(h2.unrecognised)")
            #expect(h2.unrecognised.contains("lock: deploy=d-$(touch${IFS}$R.pwned-lock)"), "\(h2.unrecognised)")

            let back = try await FleetRollback(RollbackRequest(connection: connection, playbook: playbook)).run(events: { _ in })
            // h1 goes back where its real journal says; h2 serves no release Cutover knows.
            #expect(back.hosts.first { $0.host == "h1" }?.state == .rolledBack, "\(back.hosts)")
            #expect(fixture.current("h1") == v1.release)
            #expect(back.hosts.first { $0.host == "h2" }?.state != .rolledBack, "\(back.hosts)")
            #expect(fixture.current("h2") == Self.craftedNames[0])
            for member in fleet.members {
                #expect(try Self.onDisk(fleet, member.name).isSuperset(of: Self.craftedNames), "\(member.name)")
            }
            #expect(try Self.markers(fleet) == [])
        }
    }

    @Test func aDeployNeverPrunesOrTargetsCraftedEntries() async throws {
        try await TestFleet.with(hosts: 1) { fleet in
            let fixture = try DeployFixture(fleet: fleet)
            let playbook = try fixture.playbook(strategy: "all-at-once")  // keep_releases: 3
            let v1 = try await Deployment(fixture.request(playbook, artifact: try await fixture.artifact(version: "1.0.0"))).run(events: { _ in })
            let v2 = try await Deployment(fixture.request(playbook, artifact: try await fixture.artifact(version: "2.0.0"))).run(events: { _ in })
            try await Self.plant(fleet, "h1", current: v2.release)
            let v3 = try await Deployment(fixture.request(playbook, artifact: try await fixture.artifact(version: "3.0.0"))).run(events: { _ in })
            #expect(v3.outcome == .promoted, "\(v3.reason ?? "")")
            // A failing release goes back to where this deploy switched from, never to a crafted name.
            let bad = try await Deployment(fixture.request(playbook, artifact: try await fixture.artifact(version: "4.0.0", healthy: false))).run(events: { _ in })
            #expect(bad.outcome == .rolledBack, "\(bad.reason ?? "")")
            #expect(fixture.current("h1") == v3.release)
            let v5 = try await Deployment(fixture.request(playbook, artifact: try await fixture.artifact(version: "5.0.0"))).run(events: { _ in })
            #expect(v5.outcome == .promoted, "\(v5.reason ?? "")")
            #expect(fixture.current("h1") == v5.release)
            // Three releases kept: 5.0.0, 3.0.0 it was switched from and 2.0.0 before that; the
            // failed 4.0.0 and the oldest went. The crafted entries do not count and stay.
            let releases = try Self.onDisk(fleet, "h1")
            #expect(releases.subtracting(Self.craftedNames) == Set([v2.release, v3.release, v5.release].compactMap { $0 }), "\(releases.sorted())")
            #expect(!releases.contains(v1.release ?? "-") && !releases.contains(bad.release ?? "-"))
            #expect(releases.isSuperset(of: Self.craftedNames))
            #expect(try Self.markers(fleet) == [])
        }
    }
}
