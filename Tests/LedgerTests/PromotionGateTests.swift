import Foundation
@testable import Ledger
import Release
import Testing

/// The promotion policy's decision, in memory: what the ledger must show in the environment
/// before this one for a deploy to go on.
@Suite("Promotion policy decision")
struct PromotionGateTests {
    static let good = String(repeating: "a1", count: 32)
    static let other = String(repeating: "b2", count: 32)

    /// A run of `web` in `environment` with artifact `sha`, every host ending `state`.
    func run(_ id: String, _ kind: LedgerRecord.Kind = .deploy, in environment: String, sha: String? = good, release: String? = nil,
             outcome: LedgerRecord.Outcome = .promoted, at finished: Double, hosts: [String] = ["h1", "h2"], state: String = "promoted",
             app: String = "web") -> LedgerRecord {
        let name = release ?? (sha == Self.good ? "2.0.0-a1a1a1a1a1a1" : "1.9.0-b2b2b2b2b2b2")
        var record = Fixtures.record(id, kind, app: app, release: name, outcome: outcome, started: finished - 5, finished: finished)
        record.artifactSHA256 = sha
        record.environment = environment
        record.hosts = hosts.map { HostRecord(host: $0, state: state, release: name) }
        return record
    }

    func decide(_ records: [LedgerRecord], soak: Duration? = nil, now: Double = 10_000, sha: String = good) -> PromotionGate.Decision {
        PromotionGate.decide(records: records, app: "web", sha256: sha, from: "staging", soak: soak, now: Fixtures.at(now))
    }

    @Test func anArtifactPromotedOnEveryStagingHostPasses() {
        let decision = decide([run("d-1", in: "staging", at: 100)])
        #expect(decision.allowed)
        #expect(decision.reason.contains("2.0.0-a1a1a1a1a1a1 was promoted in staging on 2 hosts (h1, h2) by d-1"), "\(decision.reason)")
        #expect(decision.evidence?.deployID == "d-1")
    }

    @Test func anArtifactStagingNeverRanIsRefusedNamingWhatStagingRuns() {
        let decision = decide([run("d-1", in: "staging", sha: Self.other, at: 100)])
        #expect(!decision.allowed)
        #expect(decision.reason.contains("no deploy of this artifact (sha256 a1a1a1a1a1a1…) in staging"), "\(decision.reason)")
        #expect(decision.reason.contains("staging last landed 1.9.0-b2b2b2b2b2b2 (d-1"), "\(decision.reason)")
        let empty = decide([])
        #expect(!empty.allowed)
        #expect(empty.reason.contains("the ledger has no record of this app in staging"))
    }

    @Test func onlyTheEnvironmentAndAppTheRuleNamesCount() {
        // Promoted in production, in a test environment, and as another app: none is staging's word for web.
        let records = [run("d-1", in: "production", at: 100), run("d-2", in: "qa", at: 110), run("d-3", in: "staging", at: 120, app: "api")]
        #expect(!decide(records).allowed)
    }

    @Test(arguments: [LedgerRecord.Outcome.partial, .rolledBack, .notConverged, .interrupted])
    func theNewestDeployOfItInStagingMustHavePromoted(outcome: LedgerRecord.Outcome) {
        // An earlier deploy of the same artifact promoted; the newest one did not: it does not pass.
        let records = [run("d-1", in: "staging", at: 100), run("d-2", in: "staging", outcome: outcome, at: 200, state: "rolled_back")]
        let decision = decide(records)
        #expect(!decision.allowed)
        #expect(decision.reason.contains("the latest deploy of 2.0.0-a1a1a1a1a1a1 in staging (d-2"), "\(decision.reason)")
        #expect(decision.reason.contains("ended \(outcome.rawValue)"), "\(decision.reason)")
    }

    @Test func aHostThatDidNotPromoteFailsItEvenWhenTheOutcomeSaysPromoted() {
        var record = run("d-1", in: "staging", at: 100)
        record.hosts[1].state = "unreachable"
        let decision = decide([record])
        #expect(!decision.allowed)
        #expect(decision.reason.contains("h2 unreachable"), "\(decision.reason)")
    }

    @Test func refusedAndLockHeldRunsTouchedNothingAndDoNotCount() {
        let records = [run("d-1", in: "staging", at: 100), run("d-2", in: "staging", outcome: .lockHeld, at: 200, hosts: []),
                       run("d-3", in: "staging", outcome: .refused, at: 300, hosts: [])]
        #expect(decide(records).allowed)
    }

    @Test func aLaterRollbackInStagingTakesItOff() {
        let records = [run("d-0", in: "staging", sha: Self.other, at: 50), run("d-1", in: "staging", at: 100),
                       run("r-2", .rollback, in: "staging", sha: nil, release: "1.9.0-b2b2b2b2b2b2", at: 200, state: "rolled_back")]
        let decision = decide(records)
        #expect(!decision.allowed)
        #expect(decision.reason.contains("rolled back there since by r-2"), "\(decision.reason)")
        // A rollback of a later release, back to this one, leaves it standing.
        let later = [run("d-1", in: "staging", at: 100), run("d-2", in: "staging", sha: Self.other, at: 150),
                     run("r-3", .rollback, in: "staging", sha: nil, release: "2.0.0-a1a1a1a1a1a1", at: 200, state: "rolled_back")]
        #expect(decide(later).allowed)
    }

    @Test(arguments: [LedgerRecord.Outcome.notConverged, .interrupted, .partial])
    func aRollbackThatSwitchedAHostAwayTakesItOffHoweverItEnded(outcome: LedgerRecord.Outcome) {
        // h1 went back to 1.9.0, h2 could not: the rollback did not converge, but staging no longer vouches for 2.0.0.
        var rollback = run("r-2", .rollback, in: "staging", sha: nil, release: "1.9.0-b2b2b2b2b2b2", outcome: outcome, at: 200, state: "rolled_back")
        rollback.hosts[1] = HostRecord(host: "h2", state: "rollback_failed", release: "2.0.0-a1a1a1a1a1a1")
        let records = [run("d-0", in: "staging", sha: Self.other, at: 50), run("d-1", in: "staging", at: 100), rollback]
        let decision = decide(records)
        #expect(!decision.allowed)
        #expect(decision.reason.contains("rolled back there since by r-2"), "\(decision.reason)")
        #expect(decision.reason.contains(outcome.rawValue), "\(decision.reason)")
        // One that switched no host away (every host failed to go back) takes nothing off.
        rollback.hosts[0] = HostRecord(host: "h1", state: "rollback_failed", release: "2.0.0-a1a1a1a1a1a1")
        #expect(decide([run("d-0", in: "staging", sha: Self.other, at: 50), run("d-1", in: "staging", at: 100), rollback]).allowed)
    }

    @Test func aLaterRunOfItThatSwitchedNothingLeavesThePromotionStanding() {
        // A redeploy of the same artifact whose migration failed (not_switched), or whose hosts
        // all already ran it or could not be reached: nothing serving changed.
        let failedMigration = run("d-2", in: "staging", outcome: .notSwitched, at: 200, state: "failed")
        let unchanged = run("d-3", in: "staging", outcome: .partial, at: 300, state: "unchanged")
        let decision = decide([run("d-1", in: "staging", at: 100), failedMigration, unchanged])
        #expect(decision.allowed, "\(decision.reason)")
        #expect(decision.evidence?.deployID == "d-1")
        // On its own it vouches for nothing.
        #expect(!decide([failedMigration]).allowed)
    }

    @Test func theSoakCountsFromThePromotionInStaging() {
        let records = [run("d-1", in: "staging", at: 100)]
        let early = decide(records, soak: .seconds(1800), now: 100 + 600)
        #expect(!early.allowed)
        #expect(early.eligibleAt == Fixtures.at(1900))
        #expect(early.reason.contains("soak 30m 0s there: eligible from"), "\(early.reason)")
        #expect(decide(records, soak: .seconds(1800), now: 1900).allowed)
        #expect(decide(records, soak: .seconds(1800), now: 5000).allowed)
    }

    @Test func recordsOfOldLedgersAreInTheDefaultEnvironment() {
        var old = run("d-1", in: "staging", at: 100)
        old.environment = LedgerRecord(deployID: "x", kind: .deploy, app: "web", outcome: .promoted, startedAt: Fixtures.base,
                                       finishedAt: Fixtures.base, invoker: Fixtures.invoker).environment
        #expect(old.environment == "default")
        #expect(PromotionGate.decide(records: [old], app: "web", sha256: Self.good, from: "default", soak: nil).allowed)
        #expect(!decide([old]).allowed)
    }

    @Test func releasesShowsEachEnvironmentsHostsAndWhatTheNextWouldTake() throws {
        let policy = PromotionPolicy(rules: ["production": .init(environment: "production", from: "staging", soak: .seconds(600))])
        var mixed = run("d-3", in: "production", sha: Self.good, at: 400, hosts: ["h1"])
        mixed.hosts.append(HostRecord(host: "h2", state: "failed", release: "1.9.0-b2b2b2b2b2b2"))
        let records = [
            run("d-1", in: "staging", sha: Self.other, at: -500), run("d-2", in: "staging", at: 200, hosts: ["h1", "h2", "h3"]),
            run("d-0", in: "production", sha: Self.other, at: 50), mixed,
        ]
        let releases = FleetReleases(records: records, app: "web", policy: policy, now: Fixtures.at(500))
        #expect(releases.environments.map(\.name) == ["staging", "production"])
        let staging = releases.environments[0]
        #expect(staging.summary.map { "\($0.hosts) on \($0.release)" } == ["3 on 2.0.0-a1a1a1a1a1a1"])
        #expect(staging.hosts.first?.since == Fixtures.at(200))
        let production = releases.environments[1]
        #expect(production.summary.map { "\($0.hosts) on \($0.release)" } == ["1 on 1.9.0-b2b2b2b2b2b2", "1 on 2.0.0-a1a1a1a1a1a1"])
        #expect(production.hosts.first { $0.host == "h1" }?.since == Fixtures.at(400))
        #expect(production.hosts.first { $0.host == "h2" }?.since == Fixtures.at(50))
        // 1.9.0 soaked long enough; 2.0.0 (promoted at 200, soak 600 s) waits until 800.
        let promotion = try #require(staging.promotions.first)
        #expect(promotion.environment == "production")
        #expect(promotion.eligible.map(\.release) == ["1.9.0-b2b2b2b2b2b2"])
        #expect(promotion.waiting.map(\.release) == ["2.0.0-a1a1a1a1a1a1"])
        #expect(promotion.waiting.first?.eligibleAt == Fixtures.at(800))
        let text = ReleasesRenderer.text(releases)
        #expect(text.contains("production: 1 on 1.9.0-b2b2b2b2b2b2, 1 on 2.0.0-a1a1a1a1a1a1"), "\(text)")
        #expect(text.contains { $0.hasPrefix("  eligible for production (soak 10m 0s): 1.9.0-b2b2b2b2b2b2") }, "\(text)")
    }

    @Test func metricsAndKnownGoodReleaseArePerEnvironment() {
        // Staging went 1.9 → 2.0; production only ever ran 1.9 then a failed 2.0 rolled back by `cutover rollback`.
        let records = [
            run("d-1", in: "staging", sha: Self.other, at: 100), run("d-2", in: "staging", at: 200),
            run("d-3", in: "production", sha: Self.other, at: 300), run("d-4", in: "production", at: 400),
            run("r-5", .rollback, in: "production", sha: nil, release: "1.9.0-b2b2b2b2b2b2", at: 500, state: "rolled_back"),
        ]
        let production = DORAMetrics(records: records, app: "web", environment: "production", from: Fixtures.base, to: Fixtures.at(1000))
        #expect(production.changes == 2)
        #expect(production.failedChanges == 1)
        let staging = DORAMetrics(records: records, app: "web", environment: "staging", from: Fixtures.base, to: Fixtures.at(1000))
        #expect(staging.changes == 2)
        #expect(staging.failedChanges == 0, "production's rollback undoes nothing in staging")
        let all = DORAMetrics(records: records, app: "web", from: Fixtures.base, to: Fixtures.at(1000))
        #expect(all.failedChanges == 1)
        // Staging's known-good release is 1.9.0 (before 2.0.0); production already is on 1.9.0.
        #expect(KnownGoodRelease(records: records, app: "web", environment: "staging")?.release == "1.9.0-b2b2b2b2b2b2")
        #expect(KnownGoodRelease(records: records, app: "web", environment: "production")?.settledBy?.deployID == "r-5")
    }
}
