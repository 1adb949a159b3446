import Testing
@testable import Analysis

/// Missing samples are evidence, and a critical KPI that fails for good fails at once.
@Suite("Missing samples and early failure")
struct MissingSamplesTests {
    /// `rounds` rounds of one canary and one baseline host; the canary gives nothing in the
    /// rounds listed, the baseline nothing where `baselineMissing` says.
    static func samples(_ rule: KPIRule, rounds: Int, canaryMissing: Set<Int>, baselineMissing: Set<Int> = [],
                        canary: Double = 1, baseline: Double = 1) -> KPISamples {
        var samples = KPISamples(canary: [], baseline: [])
        var runs = KPISamples.Runs()
        for round in 0..<rounds {
            samples.add(KPIRound(canary: [canaryMissing.contains(round) ? nil : canary],
                                 baseline: [baselineMissing.contains(round) ? nil : baseline]), rule: rule, runs: &runs)
        }
        return samples
    }

    @Test("a canary that stops answering while the baseline answers fails, and says how many were missing")
    func missingAgainstTheCanary() {
        let rule = KPIRule(name: "errors", max: 5)
        // 7 of 12 missing (the app died 5 rounds in): counted, not dropped.
        let died = Self.samples(rule, rounds: 12, canaryMissing: Set(5..<12))
        #expect(died.canaryAttempts == 12 && died.canaryMissing == 7 && died.canaryMissingWhileBaselineAnswered == 7)
        let verdict = KPIJudge.judge(rule, died)
        #expect(verdict.classification == .fail)
        #expect(verdict.reason.contains("7 of 12 canary samples missing (58%) while the baseline answered"), "\(verdict.reason)")
        // Before: the 5 samples taken were all fine and the KPI passed.
        #expect(KPIJudge.judge(rule, KPISamples(canary: died.canary, baseline: died.baseline)).classification == .pass)
    }

    @Test("a few scattered missing samples within the share are named but do not fail")
    func withinTheLimits() {
        let rule = KPIRule(name: "errors", max: 5)
        let verdict = KPIJudge.judge(rule, Self.samples(rule, rounds: 20, canaryMissing: [3, 9, 15]))
        #expect(verdict.classification == .pass)
        #expect(verdict.reason.contains("3 of 20 canary samples missing (15%)"), "\(verdict.reason)")
    }

    @Test("three rounds in a row missing fail even under the share")
    func inARow() {
        let rule = KPIRule(name: "errors", max: 5)
        let verdict = KPIJudge.judge(rule, Self.samples(rule, rounds: 20, canaryMissing: [7, 8, 9]))
        #expect(verdict.classification == .fail)
        var relaxed = rule
        relaxed.missingInARow = 4
        #expect(KPIJudge.judge(relaxed, Self.samples(relaxed, rounds: 20, canaryMissing: [7, 8, 9])).classification == .pass)
    }

    @Test("missing on both sides is no data, by the rule's no_data policy")
    func missingOnBothSides() {
        var rule = KPIRule(name: "errors", max: 5, noData: .fail)
        let both = Self.samples(rule, rounds: 10, canaryMissing: Set(2..<8), baselineMissing: Set(2..<8))
        let verdict = KPIJudge.judge(rule, both)
        #expect(verdict.classification == .noData)
        #expect(verdict.passed == false)
        rule.noData = .inconclusive
        #expect(KPIJudge.judge(rule, both).passed == nil)
    }

    @Test("a critical KPI over its max for three rounds in a row fails and ends the bake; a non-critical one waits")
    func criticalBreach() {
        var rule = KPIRule(name: "errors", max: 5, critical: true)
        var samples = KPISamples(canary: [], baseline: [])
        var runs = KPISamples.Runs()
        for round in 0..<3 {
            #expect(!KPIJudge.endsBakeEarly(rule, samples), "round \(round)")
            samples.add(KPIRound(canary: [40], baseline: [1]), rule: rule, runs: &runs)
        }
        #expect(KPIJudge.endsBakeEarly(rule, samples))
        let verdict = KPIJudge.judge(rule, samples)
        #expect(verdict.classification == .fail)
        #expect(verdict.reason.contains("for 3 rounds in a row"), "\(verdict.reason)")
        rule.critical = false
        #expect(!KPIJudge.endsBakeEarly(rule, samples))
        // A breach that recovers resets the run.
        rule.critical = true
        var flapping = KPISamples(canary: [], baseline: [])
        var flappingRuns = KPISamples.Runs()
        for value in [40.0, 40, 1, 40, 40, 1] {
            flapping.add(KPIRound(canary: [value], baseline: [1]), rule: rule, runs: &flappingRuns)
        }
        #expect(flapping.longestBreachRun == 2)
        #expect(!KPIJudge.endsBakeEarly(rule, flapping))
    }
}
