import Foundation
@testable import Ledger
import Testing

@Suite("DORA metrics") struct DORAMetricsTests {
    static let day = 86_400.0

    /// A week of deploys with known answers (see each line).
    static let week: [LedgerRecord] = {
        let d = day
        return [
            Fixtures.record("d-0", release: "0.9-000000000000", started: -d - 60, finished: -d, built: -d - 600),  // before the window
            Fixtures.record("d-1", release: "1.0-000000000001", started: d - 60, finished: d, built: d - 3600),  // lead 1h
            Fixtures.record("d-2", release: "1.1-000000000002", outcome: .rolledBack, started: 2 * d, finished: 2 * d + 170,
                            gateFailed: 2 * d + 100, verified: 2 * d + 160),  // failed; restored in 60 s
            Fixtures.record("d-3", release: "1.2-000000000003", started: 3 * d - 60, finished: 3 * d, built: 3 * d - 7200),  // lead 2h …
            Fixtures.record("r-4", .rollback, release: "1.0-000000000001", started: 3 * d + 500, finished: 3 * d + 600),  // … undone by hand: failed
            Fixtures.record("d-5", release: "1.3-000000000005", outcome: .interrupted, started: 4 * d - 100, finished: 4 * d, built: 4 * d - 1800),
            Fixtures.record("d-5", .resume, release: "1.3-000000000005", started: 4 * d + 200, finished: 4 * d + 300, built: 4 * d - 1800),  // lead 35m
            Fixtures.record("d-6", release: "1.4-000000000006", outcome: .lockHeld, started: 5 * d - 1, finished: 5 * d),  // changed nothing
            Fixtures.record("d-7", release: "1.4-000000000006", outcome: .notConverged, started: 5 * d, finished: 5 * d + 60, gateFailed: 5 * d + 10),  // failed, not restored
            Fixtures.record("d-8", release: "1.4-000000000006", outcome: .rolledBack, started: 6 * d - 100, finished: 6 * d + 200,
                            gateFailed: 6 * d, verified: 6 * d + 180),  // failed; restored in 180 s
            Fixtures.record("promote", .promote, started: 6 * d + 300, finished: 6 * d + 301),  // not a deploy
            Fixtures.record("d-9", release: "1.5-000000000009", started: 6 * d + 500, finished: 6 * d + 600),  // no build time
            Fixtures.record("d-10", app: "api", release: "3.0-000000000010", started: 6 * d + 650, finished: 6 * d + 700, built: 6 * d),
        ]
    }()

    @Test func oneAppOverAWeek() {
        let metrics = DORAMetrics(records: Self.week, app: "web", from: Fixtures.base, to: Fixtures.at(7 * Self.day))
        #expect(metrics.records == 11)
        #expect(metrics.promotedDeploys == 4)  // d-1, d-3, d-5 (resumed), d-9
        #expect(metrics.deploysPerWeek == 4)
        #expect(metrics.deploysPerDay == 4.0 / 7.0)
        #expect(metrics.leadTimeSamples == 3)
        #expect(metrics.leadTimeMedian == 3600)  // of 3600, 7200, 2100
        #expect(metrics.changes == 7)  // d-1, d-2, d-3, d-5, d-7, d-8, d-9
        #expect(metrics.failedChanges == 4)  // d-2, d-3 (rolled back by hand), d-7, d-8
        #expect(metrics.changeFailureRate == 4.0 / 7.0)
        #expect(metrics.restores == 2)
        #expect(metrics.timeToRestoreMedian == 120)  // of 60 and 180
    }

    @Test func everyApp() {
        let metrics = DORAMetrics(records: Self.week, app: nil, from: Fixtures.base, to: Fixtures.at(7 * Self.day))
        #expect(metrics.promotedDeploys == 5)
        #expect(metrics.deploysPerWeek == 5)
        #expect(metrics.leadTimeMedian == 2850)  // of 700 (api), 2100, 3600, 7200: (2100 + 3600) / 2
        #expect(metrics.changes == 8)
        #expect(metrics.changeFailureRate == 0.5)
    }

    @Test func anEmptyWindowKnowsNothing() {
        let metrics = DORAMetrics(records: Self.week, app: "db", from: Fixtures.base, to: Fixtures.at(Self.day))
        #expect(metrics.promotedDeploys == 0)
        #expect(metrics.deploysPerDay == 0)
        #expect(metrics.leadTimeMedian == nil)
        #expect(metrics.changeFailureRate == nil)
        #expect(metrics.timeToRestoreMedian == nil)
    }

    @Test func textAndJSON() throws {
        let metrics = DORAMetrics(records: Self.week, app: "web", from: Fixtures.base, to: Fixtures.at(7 * Self.day))
        let text = MetricsRenderer.text(metrics)
        #expect(text == [
            "DORA metrics for web, 2026-11-01 00:00:00 to 2026-11-08 00:00:00 UTC (7 days, 11 ledger records)",
            "  deployment frequency   0.57 per day, 4 per week (4 promoted deploys)",
            "  lead time for changes  median 1h 00m from build to promotion (3 of 4 artifacts carry a build time)",
            "  change failure rate    57.14% (4 of 7 changes rolled back or failed)",
            "  time to restore        median 2m 0s from failed gate to verified rollback (2 rollbacks)",
        ])
        let json = try JSONSerialization.jsonObject(with: Data(MetricsRenderer.json(metrics).utf8)) as? [String: Any]
        #expect(json?["promoted_deploys"] as? Int == 4)
        #expect(json?["lead_time_median_seconds"] as? Double == 3600)
        #expect(json?["time_to_restore_median_seconds"] as? Double == 120)
        #expect(json?["change_failure_rate"] as? Double == 4.0 / 7.0)
        #expect(json?["window_start"] as? String == "2026-11-01T00:00:00Z")
    }

    @Test func unknownValuesAreNullInJSON() throws {
        let metrics = DORAMetrics(records: [], app: nil, from: Fixtures.base, to: Fixtures.at(Self.day))
        let json = try #require(try JSONSerialization.jsonObject(with: Data(MetricsRenderer.json(metrics).utf8)) as? [String: Any])
        #expect(json["lead_time_median_seconds"] is NSNull)
        #expect(json["change_failure_rate"] is NSNull)
        #expect(json["app"] is NSNull)
        #expect(json["environment"] is NSNull)
        #expect(json.count == 15)
    }

    @Test func median() {
        #expect(DORAMetrics.median([]) == nil)
        #expect(DORAMetrics.median([5]) == 5)
        #expect(DORAMetrics.median([9, 1, 5]) == 5)
        #expect(DORAMetrics.median([4, 1, 3, 2]) == 2.5)
    }
}
