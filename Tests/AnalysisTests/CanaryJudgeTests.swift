import Testing
@testable import Analysis

@Suite("Judging a canary")
struct CanaryJudgeTests {
    /// Samples every rule below passes on: no real difference, mean 20 vs 25.
    static let fine = KPIJudgeTests.similar
    /// Samples a default rule fails on: the canary is clearly higher.
    static let worse = KPIJudgeTests.worse
    static let empty = KPISamples(canary: [], baseline: [])

    @Test("no KPIs configured passes without a score")
    func noRules() {
        let judgement = CanaryJudge.judge([])
        #expect(judgement.verdict == .pass)
        #expect(judgement.score == nil)
        #expect(judgement.kpis.isEmpty)
        #expect(judgement.reason == "no KPIs configured")
    }

    @Test("every KPI passing passes with score 100")
    func allPass() {
        let judgement = CanaryJudge.judge([
            (KPIRule(name: "latency", max: 30), Self.fine),
            (KPIRule(name: "error_rate"), Self.fine),
        ])
        #expect(judgement.verdict == .pass)
        #expect(judgement.score == 100)
        #expect(judgement.kpis.map(\.name) == ["latency", "error_rate"])
        #expect(judgement.reason == "score 100 ≥ 75 → pass")
    }

    @Test("weights decide the score: a light failure is marginal, a heavy one fails")
    func weights() {
        let marginal = CanaryJudge.judge([
            (KPIRule(name: "latency", weight: 2), Self.fine),
            (KPIRule(name: "error_rate", weight: 1), Self.worse),
        ])
        #expect(marginal.verdict == .marginal)
        #expect(abs((marginal.score ?? 0) - 200.0 / 3) < 1e-9)
        #expect(marginal.reason == "score 66.7 < 75, ≥ 50 → marginal (failed: error_rate)")

        let failed = CanaryJudge.judge([
            (KPIRule(name: "latency", weight: 1), Self.fine),
            (KPIRule(name: "error_rate", weight: 3), Self.worse),
        ])
        #expect(failed.verdict == .fail)
        #expect(failed.score == 25)
        #expect(failed.reason == "score 25 < 50 → fail (failed: error_rate)")
    }

    @Test("custom thresholds")
    func thresholds() {
        let inputs = [
            (KPIRule(name: "latency", weight: 2), Self.fine),
            (KPIRule(name: "error_rate", weight: 1), Self.worse),
        ]
        #expect(CanaryJudge.judge(inputs, thresholds: JudgeThresholds(pass: 60, marginal: 40)).verdict == .pass)
        #expect(CanaryJudge.judge(inputs, thresholds: JudgeThresholds(pass: 90, marginal: 70)).verdict == .fail)
    }

    @Test("a critical failure fails the canary whatever the score")
    func critical() {
        let judgement = CanaryJudge.judge([
            (KPIRule(name: "latency", weight: 10), Self.fine),
            (KPIRule(name: "error_rate", critical: true), Self.worse),
        ])
        #expect(judgement.verdict == .fail)
        #expect(abs((judgement.score ?? 0) - 100.0 * 10 / 11) < 1e-9)
        #expect(judgement.reason.hasPrefix("critical KPI error_rate failed, score 90.9 → fail"))
        #expect(judgement.kpis[1].critical)
        #expect(judgement.kpis[1].classification == .high)
    }

    @Test("a critical KPI failing for lack of data fails the canary")
    func criticalNoData() {
        let judgement = CanaryJudge.judge([
            (KPIRule(name: "latency"), Self.fine),
            (KPIRule(name: "error_rate", critical: true, noData: .fail), Self.empty),
        ])
        #expect(judgement.verdict == .fail)
        #expect(judgement.score == 50)
    }

    @Test("a critical failure outweighs missing data")
    func criticalBeatsInconclusive() {
        let judgement = CanaryJudge.judge([
            (KPIRule(name: "latency", noData: .inconclusive), Self.empty),
            (KPIRule(name: "error_rate", max: 0.1, critical: true), Self.worse),
        ])
        #expect(judgement.verdict == .fail)
    }

    @Test("no KPI with a result is inconclusive")
    func nothingJudged() {
        let judgement = CanaryJudge.judge([
            (KPIRule(name: "latency"), Self.empty),
            (KPIRule(name: "error_rate"), KPISamples(canary: [1], baseline: [])),
        ])
        #expect(judgement.verdict == .inconclusive)
        #expect(judgement.score == nil)
        #expect(judgement.kpis.map(\.classification) == [.noData, .noData])
        #expect(judgement.reason == "no KPI had data to judge → inconclusive")
    }

    @Test("a KPI without data under the inconclusive policy makes the canary inconclusive")
    func inconclusiveNoData() {
        let judgement = CanaryJudge.judge([
            (KPIRule(name: "latency"), Self.fine),
            (KPIRule(name: "error_rate", noData: .inconclusive), Self.empty),
        ])
        #expect(judgement.verdict == .inconclusive)
        #expect(judgement.score == 100)
        #expect(judgement.reason == "no data for error_rate (no-data policy: inconclusive), score 100 → inconclusive")
    }

    @Test("no-data policies pass and fail count in the score",
          arguments: [(KPIRule.NoDataPolicy.pass, 100.0, Verdict.pass), (.fail, 50.0, .marginal)])
    func noDataPolicies(_ policy: KPIRule.NoDataPolicy, _ score: Double, _ verdict: Verdict) {
        let judgement = CanaryJudge.judge([
            (KPIRule(name: "latency"), Self.fine),
            (KPIRule(name: "error_rate", noData: policy), Self.empty),
        ])
        #expect(judgement.score == score)
        #expect(judgement.verdict == verdict)
    }

    @Test("zero weights count every judged KPI equally")
    func zeroWeights() {
        let judgement = CanaryJudge.judge([
            (KPIRule(name: "latency", weight: 0), Self.fine),
            (KPIRule(name: "error_rate", weight: 0), Self.worse),
        ])
        #expect(judgement.score == 50)
        #expect(judgement.verdict == .marginal)
    }

    @Test("the KPI reason reads like a sentence")
    func readableReason() {
        let judgement = CanaryJudge.judge([
            (KPIRule(name: "error_rate", direction: .increase, aggregate: .median, minimumEffect: 0.5), Self.worse),
        ])
        #expect(judgement.kpis[0].reason == "error_rate: canary median 0.59 vs baseline 0.245, "
            + "Mann-Whitney U=112.0 p=0.0002 (exact), effect size 0.87, "
            + "|effect| ≥ 0.5 (canary higher, bad for direction increase) → high")
        #expect(judgement.verdict == .fail)
        #expect(judgement.score == 0)
    }
}

@Suite("Number text")
struct NumberTextTests {
    @Test("fixed and trimmed decimals")
    func decimals() {
        #expect(NumberText.fixed(1, places: 2) == "1.00")
        #expect(NumberText.fixed(-0.375, places: 2) == "-0.38")
        #expect(NumberText.fixed(-0.001, places: 2) == "0.00")
        #expect(NumberText.fixed(12.5, places: 0) == "13")
        #expect(NumberText.fixed(0.05, places: 3) == "0.050")
        #expect(NumberText.trimmed(0.37) == "0.37")
        #expect(NumberText.trimmed(120) == "120")
        #expect(NumberText.trimmed(1e-7) == "1e-07")
        #expect(NumberText.pValue(0.00002) == "<0.0001")
        #expect(NumberText.pValue(1) == "=1")
    }
}
