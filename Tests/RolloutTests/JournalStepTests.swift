import Foundation
@testable import Rollout
import Testing
import TestSupport

/// The journal's step words: one list (``JournalStep``) for the scripts that write them and the
/// code that reads them, and words this version does not know still read (another version of
/// Cutover wrote them on the host).
@Suite("journal step words")
struct JournalStepTests {
    /// Every word Cutover writes, as hosts already hold it in their journals: these must never change.
    static let known: [(String, JournalStep)] = [
        ("extract", .extract), ("stage", .stage), ("switch", .switch), ("rollback", .rollback),
        ("rollback-verified", .rollbackVerified), ("wave-verified", .waveVerified), ("migrate", .migrate),
        ("lease-takeover", .leaseTakeover), ("unlock", .unlock), ("release-untrusted", .releaseUntrusted),
    ]

    @Test(arguments: known)
    func aKnownWordIsItsStep(word: String, step: JournalStep) {
        #expect(JournalStep(word: word) == step)
        #expect(step.word == word)
        #expect(JournalStep.known.contains(step))
        if case .other = JournalStep(word: word) { Issue.record("\(word) parsed as an unknown word") }
    }

    @Test func everyKnownStepIsInTheTable() {
        #expect(JournalStep.known.count == Self.known.count)
        #expect(Set(JournalStep.known.map(\.word)) == Set(Self.known.map(\.0)))
    }

    /// Words an older or newer Cutover may have written, or a near miss of a known one.
    @Test(arguments: ["checkpoint", "prune", "Switch", "switched", "rollback_verified", "wave-verified2", "x"])
    func anUnknownWordIsKeptAsRead(word: String) {
        let step = JournalStep(word: word)
        #expect(step == .other(word))
        #expect(step.word == word)
        #expect(!step.movesCurrent)
        #expect(!JournalStep.known.contains(step))
    }

    @Test func anOtherSpelledAsAKnownWordIsThatStep() {
        #expect(JournalStep.other("switch") == .switch)
        #expect(Set([JournalStep.other("rollback"), .rollback]).count == 1)
    }

    @Test func onlySwitchAndRollbackMoveCurrent() {
        #expect(JournalStep.known.filter(\.movesCurrent) == [.switch, .rollback])
    }

    /// A line with a step this version does not know parses, reads back byte for byte (fields
    /// in the order Cutover writes them), and moves nothing: `current`'s history is the known
    /// steps' alone.
    @Test func aJournalWithAnUnknownStepStillReads() {
        let lines = [
            "t1 deploy=d1 step=switch from= to=1-aaaaaaaaaaaa",
            "t2 deploy=d2 step=switch from=1-aaaaaaaaaaaa to=2-bbbbbbbbbbbb",
            "t3 deploy=d9 step=checkpoint release=2-bbbbbbbbbbbb to=3-cccccccccccc",
        ]
        let entries = lines.compactMap(JournalEntry.init(line:))
        #expect(entries.map(\.step) == [.switch, .switch, .other("checkpoint")])
        #expect(entries.map(\.line) == lines)
        let state = HostState(current: tableReleaseID("2-bbbbbbbbbbbb"), releases: [tableReleaseID("1-aaaaaaaaaaaa"), tableReleaseID("2-bbbbbbbbbbbb")],
                              lock: nil, journal: entries, hasTar: true)
        #expect(state.previous == tableReleaseID("1-aaaaaaaaaaaa"))
        #expect(state.lastStep?.step.word == "checkpoint")
    }

    /// What the scripts append (``JournalEntry/appendCommand(deploy:step:fields:shellFields:)``,
    /// run by the real `sh`) reads back as the step written, for every step.
    @Test func whatTheShellWritesReadsBackAsTheSameStep() async throws {
        let root = NSTemporaryDirectory() + "journal-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: root + "/.cutover", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: root) }
        let script = HostLayout(root: root).preamble + JournalStep.known.map {
            JournalEntry.appendCommand(deploy: "d-1", step: $0, fields: ["release": "1-aaaaaaaaaaaa"])
        }.joined(separator: "\n")
        let result = try await Shell.runDetached(["sh", "-c", script])
        #expect(result.status == 0, "\(result.output)")
        let text = try String(contentsOfFile: root + "/.cutover/journal", encoding: .utf8)
        let lines = text.split(separator: "\n").map(String.init)
        let entries = lines.compactMap(JournalEntry.init(line:))
        #expect(entries.count == lines.count, "\(text)")
        #expect(entries.map(\.step) == JournalStep.known)
        #expect(lines.map { String($0.split(separator: " ")[2]) } == JournalStep.known.map { "step=\($0.word)" })
    }
}
