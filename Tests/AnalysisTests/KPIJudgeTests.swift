import Testing
@testable import Analysis

@Suite("Judging one KPI")
struct KPIJudgeTests {
    /// Error rates where the canary is clearly higher: U=112, exact p=0.000207, effect 0.867 (see the SciPy references).
    static let worse = KPISamples(
        canary: MannWhitneyReference.errorRatesCanary, baseline: MannWhitneyReference.errorRatesBaseline)
    /// The same samples the other way round: the canary is clearly lower (U=8, effect −0.867).
    static let better = KPISamples(
        canary: MannWhitneyReference.errorRatesBaseline, baseline: MannWhitneyReference.errorRatesCanary)
    /// Overlapping samples: n=20 vs 20, exact p=0.211, no significant difference.
    static let similar = KPISamples(
        canary: (0..<20).map { 2 * Double($0) + 1 }, baseline: (0..<20).map { 2 * Double($0) + 6 })

    @Test("an absolute maximum crossed fails, whatever the statistics")
    func absoluteMax() {
        let within = KPIJudge.judge(KPIRule(name: "latency", max: 30), Self.similar)
        #expect(within.classification == .pass)
        #expect(within.canaryAggregate == 20)
        #expect(within.baselineAggregate == 25)
        let crossed = KPIJudge.judge(KPIRule(name: "latency", max: 15), Self.similar)
        #expect(crossed.classification == .fail)
        #expect(crossed.reason.contains("20 > max 15"))
        #expect(crossed.reason.hasSuffix("→ fail"))
    }

    @Test("an absolute minimum crossed fails")
    func absoluteMin() {
        let rule = KPIRule(name: "throughput", min: 21, aggregate: .median)
        let verdict = KPIJudge.judge(rule, Self.similar)
        #expect(verdict.classification == .fail)
        #expect(verdict.reason.contains("canary median 20 vs baseline 25"))
        #expect(verdict.reason.contains("20 < min 21"))
    }

    @Test("within the thresholds and without a real difference passes")
    func passes() {
        let rule = KPIRule(name: "latency", max: 30, min: 10, maxIncrease: 0.1)
        let verdict = KPIJudge.judge(rule, Self.similar)
        #expect(verdict.classification == .pass)
        #expect(verdict.passed == true)
        #expect(verdict.statistics?.exact == true)
        #expect(verdict.reason.contains("p ≥ 0.05: no significant difference"))
        #expect(verdict.reason.hasSuffix("→ pass"))
    }

    @Test("exceeding the allowed increase over the baseline fails")
    func relative() {
        let samples = KPISamples(canary: [1.3, 1.3, 1.3], baseline: [1.0, 1.0, 1.0, 1.0])
        let verdict = KPIJudge.judge(KPIRule(name: "cpu", maxIncrease: 0.2, direction: .decrease), samples)
        #expect(verdict.classification == .fail)
        #expect(verdict.reason.contains("1.3 > 1.2 allowed (baseline +20%)"))
        let within = KPIJudge.judge(KPIRule(name: "cpu", maxIncrease: 0.35, direction: .decrease), samples)
        #expect(within.classification == .pass)
    }

    @Test("a zero baseline allows no increase")
    func relativeZeroBaseline() {
        let samples = KPISamples(canary: [0.01], baseline: [0, 0])
        let verdict = KPIJudge.judge(KPIRule(name: "errors", maxIncrease: 0.5, minimumEffect: 2), samples)
        #expect(verdict.classification == .fail)
    }

    @Test("a significant rise is high, and bad unless the rule only minds decreases",
          arguments: [(KPIRule.Direction.increase, true), (.either, true), (.decrease, false)])
    func rise(_ direction: KPIRule.Direction, _ bad: Bool) {
        let verdict = KPIJudge.judge(KPIRule(name: "error_rate", direction: direction), Self.worse)
        #expect(verdict.classification == (bad ? .high : .pass))
        #expect(verdict.passed == !bad)
        #expect(verdict.statistics?.u == 112)
        #expect(verdict.reason.contains("Mann-Whitney U=112.0 p=0.0002 (exact), effect size 0.87"))
        #expect(verdict.reason.contains("canary higher, \(bad ? "bad" : "allowed") for direction \(direction.rawValue)"))
    }

    @Test("a significant fall is low, and bad unless the rule only minds increases",
          arguments: [(KPIRule.Direction.decrease, true), (.either, true), (.increase, false)])
    func fall(_ direction: KPIRule.Direction, _ bad: Bool) {
        let verdict = KPIJudge.judge(KPIRule(name: "success_rate", direction: direction), Self.better)
        #expect(verdict.classification == (bad ? .low : .pass))
        #expect(verdict.passed == !bad)
        #expect(verdict.statistics?.effectSize ?? 0 < -0.8)
    }

    @Test("a significant but small effect is not a real difference")
    func smallEffect() {
        // n=20 vs 20 shifted: exact p=0.0095 but effect 0.475.
        let samples = KPISamples(
            canary: (0..<20).map { 2 * Double($0) + 11 }, baseline: (0..<20).map { 2 * Double($0) })
        let strict = KPIJudge.judge(KPIRule(name: "latency", minimumEffect: 0.5), samples)
        #expect(strict.classification == .pass)
        #expect(strict.reason.contains("|effect| < 0.5: difference too small to matter"))
        let loose = KPIJudge.judge(KPIRule(name: "latency", minimumEffect: 0.3), samples)
        #expect(loose.classification == .high)
        let stricterAlpha = KPIJudge.judge(KPIRule(name: "latency", significance: 0.005), samples)
        #expect(stricterAlpha.classification == .pass)
    }

    @Test("no canary data follows the no-data policy",
          arguments: [(KPIRule.NoDataPolicy.fail, false as Bool?), (.pass, true), (.inconclusive, nil)])
    func noCanaryData(_ policy: KPIRule.NoDataPolicy, _ passed: Bool?) {
        let verdict = KPIJudge.judge(
            KPIRule(name: "latency", max: 10, noData: policy), KPISamples(canary: [], baseline: [1, 2]))
        #expect(verdict.classification == .noData)
        #expect(verdict.passed == passed)
        #expect(verdict.statistics == nil)
        #expect(verdict.baselineAggregate == 1.5)
        #expect(verdict.reason == "latency: no canary data → no_data (policy: \(policy.rawValue))")
    }

    @Test("absolute thresholds need only canary data")
    func absoluteWithoutBaseline() {
        let samples = KPISamples(canary: [4, 6], baseline: [])
        let within = KPIJudge.judge(KPIRule(name: "latency", max: 10, noData: .fail), samples)
        #expect(within.classification == .pass)
        #expect(within.statistics == nil)
        let crossed = KPIJudge.judge(KPIRule(name: "latency", max: 4, maxIncrease: 0.1), samples)
        #expect(crossed.classification == .fail)
        #expect(crossed.reason.contains("5 > max 4"))
    }

    @Test("relative and statistical checks need baseline data")
    func noBaselineData() {
        let samples = KPISamples(canary: [4, 6], baseline: [])
        let relative = KPIJudge.judge(KPIRule(name: "latency", max: 10, maxIncrease: 0.1, noData: .fail), samples)
        #expect(relative.classification == .noData)
        #expect(relative.passed == false)
        #expect(relative.canaryAggregate == 5)
        let statistical = KPIJudge.judge(KPIRule(name: "latency"), samples)
        #expect(statistical.classification == .noData)
        #expect(statistical.passed == nil)
        #expect(statistical.reason == "latency: no baseline data → no_data (policy: inconclusive)")
    }

    @Test("aggregates", arguments: [
        (KPIRule.Aggregate.mean, 2.5 as Double?), (.median, 2.5), (.last, 1), (.max, 4),
    ])
    func aggregates(_ aggregate: KPIRule.Aggregate, _ expected: Double?) {
        #expect(aggregate.value(of: [3, 2, 4, 1]) == expected)
        #expect(aggregate.value(of: []) == nil)
    }

    @Test("odd median")
    func oddMedian() {
        #expect(KPIRule.Aggregate.median.value(of: [9, 1, 5]) == 5)
    }
}
