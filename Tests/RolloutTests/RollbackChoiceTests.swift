import Release
@testable import Rollout
import Testing

/// Where `cutover rollback` takes each host, from the state it reported: every case a row.
@Suite("cutover rollback: each host's destination")
struct RollbackChoiceTests {
    static let (a, b, c) = (tableReleaseID("1.0.0-aaaaaaaaaaaa"), tableReleaseID("2.0.0-bbbbbbbbbbbb"), tableReleaseID("3.0.0-cccccccccccc"))

    /// A journal entry whose fields are release ids (`from: nil`: an empty `from=`, as a first switch writes).
    static func entry(_ step: JournalStep, _ fields: [String: ReleaseID?]) -> JournalEntry {
        JournalEntry(time: "2026-12-07T00:00:00Z", deploy: "d-1", step: step, releases: fields)
    }

    static func state(current: ReleaseID?, releases: [ReleaseID], journal: [JournalEntry]) -> HostState {
        HostState(current: current, releases: releases, lock: nil, journal: journal, hasTar: true)
    }

    struct Row: Sendable, CustomTestStringConvertible {
        let name: String
        let state: HostState
        let target: ReleaseID?
        let settled: Set<ReleaseID>
        let expected: RollbackChoice
        var testDescription: String { name }
    }

    static let deployedTwice = [entry(.switch, ["to": a, "from": nil]), entry(.switch, ["to": b, "from": a])]
    static let rows: [Row] = [
        Row(name: "back to the release before", state: state(current: b, releases: [a, b], journal: deployedTwice),
            target: nil, settled: [], expected: .rollBack(to: a, finishing: false)),
        Row(name: "a first release has nowhere to go", state: state(current: a, releases: [a], journal: [entry(.switch, ["to": a, "from": nil])]),
            target: nil, settled: [], expected: .nowhere),
        Row(name: "rolled back and verified: stays", state: state(current: a, releases: [a, b], journal: deployedTwice + [
            entry(.rollback, ["to": a, "from": b]), entry(.rollbackVerified, ["release": a])]),
            target: nil, settled: [a], expected: .alreadyOn(a, from: b)),
        Row(name: "rolled back, never verified: finishes there", state: state(current: a, releases: [a, b], journal: deployedTwice + [
            entry(.rollback, ["to": a, "from": b])]),
            target: nil, settled: [a], expected: .rollBack(to: a, finishing: true)),
        Row(name: "on the release others were rolled back to: stays", state: state(current: a, releases: [a], journal: [entry(.switch, ["to": a, "from": nil])]),
            target: nil, settled: [a], expected: .alreadyOn(a, from: nil)),
        Row(name: "asked for a release the host lacks", state: state(current: b, releases: [a, b], journal: deployedTwice),
            target: c, settled: [], expected: .missing(c)),
        Row(name: "asked for the release it runs", state: state(current: b, releases: [a, b], journal: deployedTwice),
            target: b, settled: [], expected: .alreadyOn(b, from: nil)),
        Row(name: "asked for an older release it holds", state: state(current: c, releases: [a, b, c], journal: deployedTwice + [
            entry(.switch, ["to": c, "from": b])]),
            target: a, settled: [], expected: .rollBack(to: a, finishing: false)),
        Row(name: "never past a release it was rolled back from", state: state(current: c, releases: [a, b, c], journal: deployedTwice + [
            entry(.rollback, ["to": a, "from": b]), entry(.switch, ["to": c, "from": a])]),
            target: nil, settled: [], expected: .rollBack(to: a, finishing: false)),
    ]

    @Test(arguments: rows)
    func eachHostGoesWhereItsStateSays(row: Row) {
        #expect(RollbackChoice(state: row.state, target: row.target, settled: row.settled) == row.expected)
    }

    @Test func onlyHostsBackFromARollbackSettleARelease() {
        let back = Self.state(current: Self.a, releases: [Self.a, Self.b], journal: Self.deployedTwice + [Self.entry(.rollback, ["to": Self.a, "from": Self.b])])
        let forward = Self.state(current: Self.b, releases: [Self.a, Self.b], journal: Self.deployedTwice)
        #expect(RollbackChoice.settled([back, forward]) == [Self.a])
    }
}
