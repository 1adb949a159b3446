import Release
import Testing
@testable import Rollout

@Suite("What a host's journal says")
struct HostStateTests {
    /// Probe output as ``RemoteScripts/probe`` prints it: each data line prefixed with `|`.
    func probe(_ sections: [(String, [String])]) -> String {
        sections.map { name, lines in (["@t " + name] + lines).joined(separator: "\n") }.joined(separator: "\n") + "\n"
    }

    func state(current: String, releases: [String], journal: [String]) -> HostState {
        HostState.parse(probe([("current", ["releases/\(current)"]), ("releases", releases), ("journal", journal), ("tar", ["yes"])]), tag: "t")
    }

    @Test func previousIsWhereTheLastSwitchToCurrentCameFrom() {
        let s = state(current: "2-bbbbbbbbbbbb", releases: ["1-aaaaaaaaaaaa", "2-bbbbbbbbbbbb"], journal: [
            "t1 deploy=d1 step=switch to=1-aaaaaaaaaaaa from=",
            "t2 deploy=d2 step=switch to=2-bbbbbbbbbbbb from=1-aaaaaaaaaaaa",
        ])
        #expect(s.current?.description == "2-bbbbbbbbbbbb")
        #expect(s.previous?.description == "1-aaaaaaaaaaaa")
        #expect(s.hasTar)
    }

    @Test func aRedeployOfTheSameReleaseKeepsHistory() {
        let s = state(current: "2-bbbbbbbbbbbb", releases: ["1-aaaaaaaaaaaa", "2-bbbbbbbbbbbb"], journal: [
            "t2 deploy=d2 step=switch to=2-bbbbbbbbbbbb from=1-aaaaaaaaaaaa",
            "t3 deploy=d3 step=switch to=2-bbbbbbbbbbbb from=2-bbbbbbbbbbbb",
        ])
        #expect(s.previous?.description == "1-aaaaaaaaaaaa")
    }

    @Test func afterAnAutomaticRollbackTheBadReleaseIsNotOffered() {
        // 1-aaaaaaaaaaaa first, 2-bbbbbbbbbbbb failed and was rolled back: 1-aaaaaaaaaaaa has nothing before it.
        let s = state(current: "1-aaaaaaaaaaaa", releases: ["1-aaaaaaaaaaaa", "2-bbbbbbbbbbbb"], journal: [
            "t1 deploy=d1 step=switch to=1-aaaaaaaaaaaa from=",
            "t2 deploy=d2 step=switch to=2-bbbbbbbbbbbb from=1-aaaaaaaaaaaa",
            "t3 deploy=d2 step=rollback to=1-aaaaaaaaaaaa from=2-bbbbbbbbbbbb",
        ])
        #expect(s.previous == nil)
    }

    @Test func withoutAJournalTheNewestOtherGoodReleaseIsOffered() {
        let s = state(current: "3-cccccccccccc", releases: ["1-aaaaaaaaaaaa", "2-bbbbbbbbbbbb", "3-cccccccccccc"], journal: [
            "t0 deploy=x step=rollback to=1-aaaaaaaaaaaa from=2-bbbbbbbbbbbb",
        ])
        #expect(s.previous?.description == "1-aaaaaaaaaaaa")
    }

    /// `ls -tr` orders by the directories' mtimes, which tar takes from the archives (their
    /// build times): a release built long ago and deployed last must still count as the newest.
    @Test func releasesAreInTheOrderTheyArrived() {
        let (unknown, old, a1, b1) = ("0-000000000000", "1-111111111111", "2-aaaaaaaaaaaa", "3-bbbbbbbbbbbb")
        let s = state(current: old, releases: [unknown, old, a1, b1], journal: [
            "t1 deploy=d1 step=extract release=\(a1)",
            "t2 deploy=d2 step=extract release=\(b1)",
            "t3 deploy=d3 step=extract release=\(old)",
        ])
        #expect(s.releases.map(\.description) == [unknown, a1, b1, old])
        // Without a switch in the journal, the newest other release is the one that arrived last.
        #expect(s.previous?.description == b1)
    }

    @Test func lockAndJournalLinesParse() {
        let s = HostState.parse(probe([("lock", ["owner=alice@ci pid 1", "deploy=d-1", "expires=99", "token=3"]),
                                       ("journal", ["2026-01-01T00:00:00Z deploy=d-1 step=extract release=1-aaaaaaaaaaaa"])]), tag: "t")
        #expect(s.lock?["owner"] == "alice@ci pid 1")
        #expect(s.lock?["token"] == "3")
        #expect(s.lastStep?.step == .extract)
        #expect(s.lastStep?.fields["release"] == "1-aaaaaaaaaaaa")
    }

    @Test func aRollbackIsUnverifiedUntilItsRunSaysSo() {
        let journal = [
            "t1 deploy=d1 step=switch to=1-aaaaaaaaaaaa from=0-ffffffffffff",
            "t2 deploy=d2 step=switch to=2-bbbbbbbbbbbb from=1-aaaaaaaaaaaa",
            "t3 deploy=d2 step=rollback to=1-aaaaaaaaaaaa from=2-bbbbbbbbbbbb",
        ]
        let cut = state(current: "1-aaaaaaaaaaaa", releases: ["0-ffffffffffff", "1-aaaaaaaaaaaa", "2-bbbbbbbbbbbb"], journal: journal)
        #expect(cut.rolledBackFrom?.description == "2-bbbbbbbbbbbb")
        #expect(cut.isRollbackUnverified)
        // A later `cutover rollback` that finished it counts; a verification of another release does not.
        #expect(!state(current: "1-aaaaaaaaaaaa", releases: ["0-ffffffffffff", "1-aaaaaaaaaaaa", "2-bbbbbbbbbbbb"], journal: journal + ["t4 deploy=r9 step=rollback-verified release=1-aaaaaaaaaaaa"]).isRollbackUnverified)
        #expect(state(current: "1-aaaaaaaaaaaa", releases: ["0-ffffffffffff", "1-aaaaaaaaaaaa", "2-bbbbbbbbbbbb"], journal: journal + ["t4 deploy=r9 step=rollback-verified release=0-ffffffffffff"]).isRollbackUnverified)
        let done = state(current: "1-aaaaaaaaaaaa", releases: ["0-ffffffffffff", "1-aaaaaaaaaaaa", "2-bbbbbbbbbbbb"], journal: journal + ["t4 deploy=d2 step=rollback-verified release=1-aaaaaaaaaaaa"])
        #expect(!done.isRollbackUnverified)
        #expect(done.rolledBackFrom?.description == "2-bbbbbbbbbbbb")
        // A later switch elsewhere: no longer a rolled-back host.
        let moved = state(current: "3-cccccccccccc", releases: ["1-aaaaaaaaaaaa", "2-bbbbbbbbbbbb", "3-cccccccccccc"], journal: journal + ["t5 deploy=d3 step=switch to=3-cccccccccccc from=1-aaaaaaaaaaaa"])
        #expect(moved.rolledBackFrom == nil)
        #expect(!moved.isRollbackUnverified)
    }

    @Test func toAVersionPicksTheOneReleaseOfThatVersion() throws {
        let h1 = state(current: "2.0-bbbbbbbbbbbb", releases: ["1.0-aaaaaaaaaaaa", "2.0-bbbbbbbbbbbb"], journal: [])
        let h2 = state(current: "2.0-bbbbbbbbbbbb", releases: ["1.0-aaaaaaaaaaaa", "1.0-cccccccccccc", "2.0-bbbbbbbbbbbb"], journal: [])
        #expect(try FleetRollback.releases(ofVersion: "2.0", on: ["h1": h1, "h2": h2]).get().description == "2.0-bbbbbbbbbbbb")
        #expect(try FleetRollback.releases(ofVersion: "1.0", on: ["h1": h1]).get().description == "1.0-aaaaaaaaaaaa")
        // Two builds of 1.0 on the fleet: the id must be given.
        #expect(throws: RolloutError.self) { try FleetRollback.releases(ofVersion: "1.0", on: ["h1": h1, "h2": h2]).get() }
        #expect(throws: RolloutError.self) { try FleetRollback.releases(ofVersion: "3.0", on: ["h1": h1]).get() }
    }

    @Test func aReleaseIsHeldOnlyWithTheManifestOfThisArtifact() throws {
        let a = String(repeating: "a", count: 64), b = String(repeating: "b", count: 64)
        let (r1, r2, r3) = ("1-aaaaaaaaaaaa", "2-bbbbbbbbbbbb", "3-cccccccccccc")
        let (id1, id2, id3, id4) = (try releaseID(r1), try releaseID(r2), try releaseID(r3), try releaseID("4-dddddddddddd"))
        let s = HostState.parse(probe([("releases", [r1, r2, r3]), ("manifests", ["\(r1) \(a)", "\(r2) \(a)", "x$(id) \(a)"]), ("slots", [])]), tag: "t")
        #expect(s.manifests == [id1: a, id2: a])
        #expect(s.unrecognised == ["manifest: x$(id) \(a)"])
        #expect(s.holds(id1, sha256: a))
        #expect(!s.holds(id2, sha256: b), "recorded for another artifact")
        #expect(!s.holds(id3, sha256: a), "no manifest: not extracted by Cutover")
        #expect(!s.holds(id4, sha256: a), "not on the host")
    }
}
