import Release
@testable import Rollout
import Testing

/// ``HostRun``'s transitions and the two decisions read from it, as tables.
@Suite("HostRun: one host's run as a value")
struct HostRunTests {
    static let (old, new, older) = (tableReleaseID("1.0.0-aaaaaaaaaaaa"), tableReleaseID("2.0.0-bbbbbbbbbbbb"), tableReleaseID("0.9.0-cccccccccccc"))

    /// A named way a run can go, applied to a fresh value.
    struct Path: Sendable, CustomTestStringConvertible {
        let name: String
        let apply: @Sendable (inout HostRun) -> Void
        var testDescription: String { name }
    }

    static let standings: [(Path, HostRun.Standing)] = [
        (Path(name: "nothing happened") { _ in }, .unchanged),
        (Path(name: "switched and passed") { $0.switchStarted(to: new); $0.switchDone(to: new, from: old) }, .promoted),
        (Path(name: "failed before its switch") { $0.fail("upload: reset") }, .failedUnchanged),
        (Path(name: "failed after its switch") { $0.switchStarted(to: new); $0.switchDone(to: new, from: old); $0.fail("health: exit 1") },
         .failedSwitched),
        (Path(name: "rolled back with its wave") { $0.switchStarted(to: new); $0.switchDone(to: new, from: old); $0.rolledBackWithWave("wave 1") },
         .rolledBack),
        (Path(name: "rollback failed") { $0.switchDone(to: new, from: old); $0.rolledBackWithWave("w"); $0.rollbackFailed("exit 1") },
         .rollbackFailed),
        (Path(name: "cut off, then rolled back") { $0.fail("switch: reset", unreachable: true); $0.rolledBackWithWave("w") }, .unreachable),
        (Path(name: "lease lost at the end") { $0.switchDone(to: new, from: old); $0.leaseNotReleased("gone", unreachable: true) }, .unreachable),
        (Path(name: "lease kept by an exit status") { $0.switchDone(to: new, from: old); $0.leaseNotReleased("exit 1", unreachable: false) },
         .promoted),
        (Path(name: "locked by another run") { $0.lockHeld(by: "deploy d-1") }, .failedUnchanged),
        (Path(name: "adopted by resume") { $0.adoptVerified(release: new, wave: 1) }, .promoted),
    ]

    @Test(arguments: standings)
    func whereAHostEnds(path: Path, expected: HostRun.Standing) {
        var run = HostRun()
        path.apply(&run)
        #expect(run.standing(release: Self.new, hostCurrent: Self.old) == expected)
    }

    /// Explicit target, where this run switched from, `current` before a lost switch, the
    /// journal's previous: in that order; nil when there is none.
    static let targets: [(Path, ReleaseID?, ReleaseID?, ReleaseID?)] = [
        (Path(name: "asked for") { $0.switchDone(to: new, from: old) }, older, old, older),
        (Path(name: "switched from") { $0.switchDone(to: new, from: old) }, nil, new, old),
        (Path(name: "answer lost: current before the run") { $0.switchStarted(to: new) }, nil, old, old),
        (Path(name: "answer lost on a first deploy") { $0.switchStarted(to: new) }, nil, nil, nil),
        (Path(name: "first deploy, switched") { $0.switchDone(to: new, from: nil) }, nil, nil, nil),
        (Path(name: "never switched: the journal's previous") { _ in }, nil, old, older),
    ]

    @Test(arguments: targets)
    func whereARollbackGoes(path: Path, explicit: ReleaseID?, hostCurrent: ReleaseID?, expected: ReleaseID?) {
        var run = HostRun()
        path.apply(&run)
        let previous: ReleaseID? = hostCurrent == nil ? nil : Self.older
        #expect(run.rollbackTarget(explicit: explicit, hostCurrent: hostCurrent, hostPrevious: previous) == expected)
    }

    @Test func aLostAnswerIsSettledByWhatCurrentSaysAtTheEnd() {
        var run = HostRun()
        run.switchStarted(to: Self.new)
        run.fail("switch: timed out")
        run.learnCurrent(Self.old, before: Self.old)
        #expect(run.isUnsure, "current still on the old release: not switched")
        run.learnCurrent(Self.new, before: Self.old)
        #expect(run.switched && run.currentRelease == Self.new)
        #expect(run.failure == "switched to \(Self.new), then cut off: switch: timed out")
        var already = HostRun()
        already.switchStarted(to: Self.new)
        already.learnCurrent(Self.new, before: Self.new)
        #expect(already.isUnsure, "a host that was already on the target proves nothing")
    }

    @Test func onlyAHealthySwitchedHostJournalsItsVerifiedWave() {
        var run = HostRun()
        run.switchDone(to: Self.new, from: Self.old)
        run.passed(wave: 2)
        #expect(run.journalsVerifiedWave)
        var failed = run
        failed.fail("smoke: exit 1")
        #expect(!failed.journalsVerifiedWave)
        var rolled = run
        rolled.rolledBackWithWave("wave 3")
        #expect(!rolled.journalsVerifiedWave)
        var unswitched = HostRun()
        unswitched.passed(wave: 1)
        #expect(!unswitched.journalsVerifiedWave)
    }

    @Test func theFirstFailureIsKeptWhenTheWaveIsRolledBackOrNotTried() {
        var run = HostRun()
        run.fail("health: exit 1")
        run.rolledBackWithWave("rolled back (wave 1)")
        run.notTried("not tried")
        #expect(run.failure == "health: exit 1")
        run.recovered()
        #expect(run.healthy && run.rolledBack)
    }
}
