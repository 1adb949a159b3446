import Analysis
import Foundation
@testable import Ledger
@testable import LedgerRecording
import Release
@testable import Rollout
import Synchronization
import Testing

@Suite("Records from events") struct LedgerRecorderTests {
    /// A clock that ticks one second per reading, from `Fixtures.base`.
    final class TickingClock: Sendable {
        private let ticks = Mutex(0)
        var now: @Sendable () -> Date { { [self] in Fixtures.at(Double(ticks.withLock { $0 += 1; return $0 })) } }
    }

    func plan() -> DeployPlan {
        DeployPlan(app: "web", deployID: "d-20261101T000000-beef", release: "1.1-0123456789ab",
                   artifactSHA256: String(repeating: "0123456789ab", count: 5) + "0123", strategy: "rolling (batch 1)",
                   waves: [["h1"], ["h2"]], maxFailures: 0, rollbackPolicy: "default", artifactBuiltAt: 1_793_480_000,
                   artifactBuildTimeSource: "stamp")
    }

    @Test func aRolledBackDeploy() {
        let clock = TickingClock()
        let recorder = LedgerRecorder(kind: .deploy, invoker: Fixtures.invoker, startedAt: Fixtures.base, clock: clock.now)
        recorder.observe(.planned(plan()))  // t = 1
        recorder.observe(.waveStarted(index: 1, count: 2, hosts: ["h1"]))  // 2
        recorder.observe(.step(host: "h1", step: .upload, state: .failed, detail: "not a gate"))  // 3
        recorder.observe(.step(host: "h1", step: .health, state: .failed, detail: "exit 1"))  // 4: the gate failed
        recorder.observe(.step(host: "h2", step: .smoke, state: .failed, detail: "later"))  // 5
        recorder.observe(.rollbackStarted(reason: "wave 1", hosts: ["h1"]))  // 6
        recorder.observe(.step(host: "h1", step: .rollback, state: .ok, detail: nil))  // 7
        recorder.observe(.step(host: "h1", step: .checks, state: .ok, detail: nil))  // 8: verified
        let report = DeployReport(outcome: .rolledBack, deployID: "d-20261101T000000-beef", release: "1.1-0123456789ab",
                                  reason: "wave 1: h1 failed health", hosts: [
                                      .init(host: "h1", release: "1.0-ba9876543210", state: .rolledBack, detail: "rolled back"),
                                      .init(host: "h2", release: "1.0-ba9876543210", state: .unchanged, detail: nil),
                                  ], duration: .seconds(9))
        let record = recorder.record(for: report)  // finished: 9
        #expect(record == LedgerRecord(
            deployID: "d-20261101T000000-beef", kind: .deploy, app: "web", release: "1.1-0123456789ab", version: "1.1",
            artifactSHA256: plan().artifactSHA256, artifactBuiltAt: Date(timeIntervalSince1970: 1_793_480_000),
            artifactBuildTimeSource: "stamp", strategy: "rolling (batch 1)", outcome: .rolledBack,
            reason: "wave 1: h1 failed health", startedAt: Fixtures.base, finishedAt: Fixtures.at(9),
            gateFailedAt: Fixtures.at(4), rollbackVerifiedAt: Fixtures.at(8), invoker: Fixtures.invoker,
            hosts: [HostRecord(host: "h1", state: "rolled_back", release: "1.0-ba9876543210", detail: "rolled back"),
                    HostRecord(host: "h2", state: "unchanged", release: "1.0-ba9876543210")]))
    }

    @Test func aPromotedDeployHasNoFailureTimes() {
        let recorder = LedgerRecorder(kind: .deploy, invoker: Fixtures.invoker, startedAt: Fixtures.base, clock: TickingClock().now)
        let observed = recorder.observing { _ in }
        observed(.planned(plan()))
        // A health check that failed once on a host that was retried still counts only when a rollback follows.
        observed(.step(host: "h1", step: .health, state: .failed, detail: nil))
        let record = recorder.record(for: DeployReport(outcome: .partial, deployID: "d-x", release: "1.1-0123456789ab", reason: nil,
                                                       hosts: [], duration: .zero))
        #expect(record.gateFailedAt == nil)
        #expect(record.rollbackVerifiedAt == nil)
        #expect(record.outcome == .partial)
    }

    @Test func aManualRollbackNamesTheReleaseTheHostsWentTo() {
        let recorder = LedgerRecorder(kind: .rollback, app: "web", invoker: Fixtures.invoker, startedAt: Fixtures.base, clock: TickingClock().now)
        recorder.observe(.step(host: "h1", step: .checks, state: .ok, detail: nil))  // 1
        let record = recorder.record(for: DeployReport(outcome: .promoted, deployID: "r-20261101T000000-1", release: nil, reason: nil, hosts: [
            .init(host: "h1", release: "1.0-ba9876543210", state: .rolledBack, detail: nil),
            .init(host: "h2", release: "1.0-ba9876543210", state: .rolledBack, detail: nil),
        ], duration: .zero))
        #expect(record.app == "web")
        #expect(record.deployID == "r-20261101T000000-1")
        #expect(record.release == "1.0-ba9876543210")
        #expect(record.version == "1.0")
        #expect(record.rollbackVerifiedAt == Fixtures.at(1))
    }

    @Test func promoteNamesTheAnsweredDeploy() {
        let recorder = LedgerRecorder(kind: .promote, app: "web", invoker: Fixtures.invoker, startedAt: Fixtures.base, clock: TickingClock().now)
        let record = recorder.record(for: DeployReport(outcome: .promoted, deployID: "promote", release: nil, reason: "sent", hosts: [
            .init(host: "h1", release: nil, state: .promoted, detail: "promote sent to d-20261101T000000-beef",
                  cause: .answered(deployID: "d-20261101T000000-beef")),
            .init(host: "h2", release: nil, state: .unreachable, detail: "connection refused"),
        ], duration: .zero))
        #expect(record.deployID == "d-20261101T000000-beef")
        #expect(record.kind == .promote)
    }

    /// The answered deploy comes from the hosts' typed cause, never from their words.
    @Test func theAnsweredDeployIsTheTypedCauseNotTheDetail() {
        let recorder = LedgerRecorder(kind: .abort, app: "web", invoker: Fixtures.invoker, startedAt: Fixtures.base, clock: TickingClock().now)
        let record = recorder.record(for: DeployReport(outcome: .promoted, deployID: "abort", release: nil, reason: "sent", hosts: [
            .init(host: "h1", release: nil, state: .promoted, detail: "abort sent to d-20261101T000000-beef sent to d-x",
                  cause: .answered(deployID: "d-20261101T000000-beef")),
            // Words that look like an answer, without one: not counted.
            .init(host: "h2", release: nil, state: .promoted, detail: "abort sent to d-20261101T000000-dead"),
        ], duration: .zero))
        #expect(record.deployID == "d-20261101T000000-beef")
        let nobody = recorder.record(for: DeployReport(outcome: .partial, deployID: "abort", release: nil, reason: nil, hosts: [
            .init(host: "h1", release: nil, state: .unchanged, detail: "no deploy holds this host"),
        ], duration: .zero))
        #expect(nobody.deployID == "abort")
    }

    /// Every outcome the engine reports is stored under its own word (the ledger's enum is
    /// mapped case by case, never through a raw value with a fallback).
    @Test(arguments: DeployOutcome.allCases)
    func everyOutcomeIsStoredAsItself(outcome: DeployOutcome) {
        let recorder = LedgerRecorder(kind: .deploy, app: "web", invoker: Fixtures.invoker, startedAt: Fixtures.base, clock: TickingClock().now)
        let record = recorder.record(for: DeployReport(outcome: outcome, deployID: "d-1", release: nil, reason: nil, hosts: [], duration: .zero))
        #expect(record.outcome.rawValue == outcome.rawValue)
    }

    @Test func noTwoOutcomesShareAWord() {
        #expect(Set(DeployOutcome.allCases.map(LedgerRecord.Outcome.init)) == Set(LedgerRecord.Outcome.allCases))
    }

    /// Which answers and verdicts count as the failed gate of a rolled-back deploy.
    @Test(arguments: [
        (DeployEvent.pauseAnswered(action: .abort, by: "ops"), true),
        (.pauseAnswered(action: .abort, by: "Ctrl-C"), true),
        (.pauseAnswered(action: .promote, by: "ops"), false),
        (.analysis(CanaryVerdictReport(wave: 1, canary: ["h1"], baseline: ["h2"], verdict: .fail, score: 0, reason: "", kpis: [])), true),
        (.analysis(CanaryVerdictReport(wave: 1, canary: ["h1"], baseline: ["h2"], verdict: .inconclusive, score: nil, reason: "", kpis: [])), false),
        (.analysis(CanaryVerdictReport(wave: 1, canary: ["h1"], baseline: ["h2"], verdict: .marginal, score: 60, reason: "", kpis: [])), false),
        (.analysis(CanaryVerdictReport(wave: 1, canary: ["h1"], baseline: ["h2"], verdict: .pass, score: 100, reason: "", kpis: [])), false),
    ])
    func aFailedGateIsAnAbortOrAFailedVerdict(event: DeployEvent, failsTheGate: Bool) {
        let recorder = LedgerRecorder(kind: .deploy, invoker: Fixtures.invoker, startedAt: Fixtures.base, clock: TickingClock().now)
        recorder.observe(.planned(plan()))  // t = 1
        recorder.observe(event)  // 2
        let record = recorder.record(for: DeployReport(outcome: .rolledBack, deployID: "d-20261101T000000-beef", release: nil,
                                                       reason: "wave 1", hosts: [], duration: .zero))
        #expect(record.gateFailedAt == (failsTheGate ? Fixtures.at(2) : nil))
    }
}
