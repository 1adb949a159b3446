import Testing
@testable import Rollout

@Suite("What a host's journal says")
struct HostStateTests {
    func state(current: String, releases: [String], journal: [String]) -> HostState {
        HostState.parse("@current\nreleases/\(current)\n@releases\n" + releases.joined(separator: "\n") + "\n@journal\n"
                        + journal.joined(separator: "\n") + "\n@tar\nyes\n")
    }

    @Test func previousIsWhereTheLastSwitchToCurrentCameFrom() {
        let s = state(current: "2-b", releases: ["1-a", "2-b"], journal: [
            "t1 deploy=d1 step=switch to=1-a from=",
            "t2 deploy=d2 step=switch to=2-b from=1-a",
        ])
        #expect(s.current == "2-b")
        #expect(s.previous == "1-a")
        #expect(s.hasTar)
    }

    @Test func aRedeployOfTheSameReleaseKeepsHistory() {
        let s = state(current: "2-b", releases: ["1-a", "2-b"], journal: [
            "t2 deploy=d2 step=switch to=2-b from=1-a",
            "t3 deploy=d3 step=switch to=2-b from=2-b",
        ])
        #expect(s.previous == "1-a")
    }

    @Test func afterAnAutomaticRollbackTheBadReleaseIsNotOffered() {
        // 1-a first, 2-b failed and was rolled back: 1-a has nothing before it.
        let s = state(current: "1-a", releases: ["1-a", "2-b"], journal: [
            "t1 deploy=d1 step=switch to=1-a from=",
            "t2 deploy=d2 step=switch to=2-b from=1-a",
            "t3 deploy=d2 step=rollback to=1-a from=2-b",
        ])
        #expect(s.previous == nil)
    }

    @Test func withoutAJournalTheNewestOtherGoodReleaseIsOffered() {
        let s = state(current: "3-c", releases: ["1-a", "2-b", "3-c"], journal: [
            "t0 deploy=x step=rollback to=1-a from=2-b",
        ])
        #expect(s.previous == "1-a")
    }

    @Test func lockAndJournalLinesParse() {
        let s = HostState.parse("@lock\nowner=alice@ci pid 1\ndeploy=d-1\nexpires=99\ntoken=3\n@journal\n2026-01-01T00:00:00Z deploy=d-1 step=extract release=1-a\n")
        #expect(s.lock?["owner"] == "alice@ci pid 1")
        #expect(s.lock?["token"] == "3")
        #expect(s.lastStep?.step == "extract")
        #expect(s.lastStep?.fields["release"] == "1-a")
    }

    @Test func aRollbackIsUnverifiedUntilItsRunSaysSo() {
        let journal = [
            "t1 deploy=d1 step=switch to=1-a from=0-z",
            "t2 deploy=d2 step=switch to=2-b from=1-a",
            "t3 deploy=d2 step=rollback to=1-a from=2-b",
        ]
        let cut = state(current: "1-a", releases: ["0-z", "1-a", "2-b"], journal: journal)
        #expect(cut.rolledBackFrom == "2-b")
        #expect(cut.isRollbackUnverified)
        // A later `cutover rollback` that finished it counts; a verification of another release does not.
        #expect(!state(current: "1-a", releases: ["0-z", "1-a", "2-b"], journal: journal + ["t4 deploy=r9 step=rollback-verified release=1-a"]).isRollbackUnverified)
        #expect(state(current: "1-a", releases: ["0-z", "1-a", "2-b"], journal: journal + ["t4 deploy=r9 step=rollback-verified release=0-z"]).isRollbackUnverified)
        let done = state(current: "1-a", releases: ["0-z", "1-a", "2-b"], journal: journal + ["t4 deploy=d2 step=rollback-verified release=1-a"])
        #expect(!done.isRollbackUnverified)
        #expect(done.rolledBackFrom == "2-b")
        // A later switch elsewhere: no longer a rolled-back host.
        let moved = state(current: "3-c", releases: ["1-a", "2-b", "3-c"], journal: journal + ["t5 deploy=d3 step=switch to=3-c from=1-a"])
        #expect(moved.rolledBackFrom == nil)
        #expect(!moved.isRollbackUnverified)
    }

    @Test func toAVersionPicksTheOneReleaseOfThatVersion() throws {
        let h1 = state(current: "2.0-bbbbbbbbbbbb", releases: ["1.0-aaaaaaaaaaaa", "2.0-bbbbbbbbbbbb"], journal: [])
        let h2 = state(current: "2.0-bbbbbbbbbbbb", releases: ["1.0-aaaaaaaaaaaa", "1.0-cccccccccccc", "2.0-bbbbbbbbbbbb"], journal: [])
        #expect(try FleetRollback.releases(ofVersion: "2.0", on: ["h1": h1, "h2": h2]).get() == "2.0-bbbbbbbbbbbb")
        #expect(try FleetRollback.releases(ofVersion: "1.0", on: ["h1": h1]).get() == "1.0-aaaaaaaaaaaa")
        // Two builds of 1.0 on the fleet: the id must be given.
        #expect(throws: RolloutError.self) { try FleetRollback.releases(ofVersion: "1.0", on: ["h1": h1, "h2": h2]).get() }
        #expect(throws: RolloutError.self) { try FleetRollback.releases(ofVersion: "3.0", on: ["h1": h1]).get() }
    }

    @Test func aReleaseIsHeldOnlyWithTheManifestOfThisArtifact() {
        let a = String(repeating: "a", count: 64), b = String(repeating: "b", count: 64)
        let s = HostState.parse("@releases\n1-a\n2-b\n3-c\n@manifests\n1-a \(a)\n2-b \(a)\n@slots\n")
        #expect(s.manifests == ["1-a": a, "2-b": a])
        #expect(s.holds("1-a", sha256: a))
        #expect(!s.holds("2-b", sha256: b), "recorded for another artifact")
        #expect(!s.holds("3-c", sha256: a), "no manifest: not extracted by Cutover")
        #expect(!s.holds("4-d", sha256: a), "not on the host")
    }
}
