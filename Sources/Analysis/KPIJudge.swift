/// Judges one KPI: its absolute thresholds, its relative limit against the baseline, and the Mann-Whitney test.
///
/// Data needs: the absolute thresholds (`max`, `min`) need canary samples only; `maxIncrease` and the statistical
/// test need both sides. Without canary samples the KPI has no data. Without baseline samples a crossed absolute
/// threshold still fails the KPI; otherwise a rule with only absolute thresholds is judged on them alone, and any
/// other rule has no data. A KPI without data is classified `no_data` and passes, fails or has no result according
/// to its rule's ``KPIRule/NoDataPolicy``. NaN samples are dropped before anything else.
///
/// Missing samples count per sample, not only when a side is empty: beyond the rule's
/// ``KPIRule/maxMissing`` share (or ``KPIRule/missingInARow`` rounds in a row), canary samples
/// missing while the baseline answered fail the KPI, and samples missing on both sides make it
/// `no_data`. A critical KPI whose canary crossed `max`/`min` for ``KPIRule/breachesInARow``
/// rounds in a row fails whatever the aggregate (``endsBakeEarly(_:_:)`` stops the bake there).
public enum KPIJudge {
    /// The verdict on one KPI.
    public static func judge(_ rule: KPIRule, _ samples: KPISamples) -> KPIVerdict {
        let canary = samples.canary.filter { !$0.isNaN }
        let baseline = samples.baseline.filter { !$0.isNaN }
        let baselineAggregate = rule.aggregate.value(of: baseline)
        let canaryAggregate = rule.aggregate.value(of: canary)
        if let verdict = missingVerdict(rule, samples, canaryAggregate, baselineAggregate) { return verdict }
        guard let canaryAggregate else {
            let missing = baseline.isEmpty ? "no canary or baseline data" : "no canary data"
            return noData(rule, missing: missing, baselineAggregate: baselineAggregate)
        }
        var findings = ["canary \(rule.aggregate.rawValue) \(NumberText.trimmed(canaryAggregate))"]
        if let baselineAggregate {
            findings[0] += " vs baseline \(NumberText.trimmed(baselineAggregate))"
        }
        if samples.canaryMissing > 0 { findings.append(missingText(samples.canaryMissing, samples)) }
        let thresholdFailures = thresholdFindings(rule, canaryAggregate) + [breachFinding(rule, samples)].compactMap { $0 }
        findings += thresholdFailures

        guard let baselineAggregate, let statistics = MannWhitney.test(canary, baseline) else {
            if !thresholdFailures.isEmpty {
                findings.append("no baseline data")
                return verdict(rule, .fail, findings, nil, canaryAggregate, nil)
            }
            if rule.maxIncrease != nil || (rule.max == nil && rule.min == nil) {
                return noData(rule, missing: "no baseline data", canaryAggregate: canaryAggregate)
            }
            findings.append("within thresholds, no baseline data for the relative and statistical checks")
            return verdict(rule, .pass, findings, nil, canaryAggregate, nil)
        }

        let relativeFailure = relativeFinding(rule, canaryAggregate, baselineAggregate)
        if let relativeFailure { findings.append(relativeFailure) }
        let test = StatisticalFinding(rule: rule, statistics: statistics)
        findings.append(test.text)

        let classification: KPIClassification
        if !thresholdFailures.isEmpty || relativeFailure != nil {
            classification = .fail
        } else if let bad = test.badClassification {
            classification = bad
        } else {
            classification = .pass
        }
        return verdict(rule, classification, findings, statistics, canaryAggregate, baselineAggregate)
    }

    /// True when the bake can stop now: a critical KPI has failed for good (its canary crossed a
    /// bound, or gave no sample while the baseline did, for the rule's rounds in a row).
    public static func endsBakeEarly(_ rule: KPIRule, _ samples: KPISamples) -> Bool {
        rule.critical && (samples.longestBreachRun >= rule.breachesInARow
            || samples.longestMissingRunWhileBaselineAnswered >= rule.missingInARow)
    }

    /// `7 of 12 canary samples missing (58%)`.
    static func missingText(_ count: Int, _ samples: KPISamples) -> String {
        let share = samples.canaryAttempts > 0 ? Double(count) / Double(samples.canaryAttempts) * 100 : 0
        return "\(count) of \(samples.canaryAttempts) canary samples missing (\(NumberText.trimmed(share, places: 0))%)"
    }

    /// Canary samples missing beyond the rule's limits: a failure when the baseline answered
    /// meanwhile, no data when it did not either; nil within the limits.
    static func missingVerdict(_ rule: KPIRule, _ samples: KPISamples, _ canaryAggregate: Double?, _ baselineAggregate: Double?) -> KPIVerdict? {
        let attempts = samples.canaryAttempts
        guard attempts > 0, samples.canaryMissing > 0 else { return nil }
        let limit = "at most \(NumberText.trimmed(rule.maxMissing * 100, places: 2))%, fewer than \(rule.missingInARow) rounds in a row"
        let against = samples.canaryMissingWhileBaselineAnswered
        if Double(against) / Double(attempts) > rule.maxMissing || samples.longestMissingRunWhileBaselineAnswered >= rule.missingInARow {
            let run = samples.longestMissingRunWhileBaselineAnswered
            let finding = missingText(against, samples) + " while the baseline answered (\(run) round\(run == 1 ? "" : "s") in a row; \(limit)): counts against the canary"
            return verdict(rule, .fail, [finding], nil, canaryAggregate, baselineAggregate)
        }
        if Double(samples.canaryMissing) / Double(attempts) > rule.maxMissing || samples.longestMissingRun >= rule.missingInARow {
            return noData(rule, missing: missingText(samples.canaryMissing, samples) + " (\(limit)), and no baseline answered meanwhile",
                          canaryAggregate: canaryAggregate, baselineAggregate: baselineAggregate)
        }
        return nil
    }

    /// A critical KPI's canary outside its bounds for the rule's rounds in a row: a failure
    /// whatever the aggregate; nil otherwise.
    static func breachFinding(_ rule: KPIRule, _ samples: KPISamples) -> String? {
        guard rule.critical, samples.longestBreachRun >= rule.breachesInARow else { return nil }
        let bounds = [rule.max.map { "max \(NumberText.trimmed($0))" }, rule.min.map { "min \(NumberText.trimmed($0))" }].compactMap { $0 }
        return "canary outside \(bounds.joined(separator: "/")) for \(samples.longestBreachRun) rounds in a row (critical: fails at \(rule.breachesInARow))"
    }

    /// The absolute thresholds the canary's aggregate crosses, as text; empty when none is crossed.
    static func thresholdFindings(_ rule: KPIRule, _ canary: Double) -> [String] {
        var failures: [String] = []
        if let max = rule.max, canary > max {
            failures.append("\(NumberText.trimmed(canary)) > max \(NumberText.trimmed(max))")
        }
        if let min = rule.min, canary < min {
            failures.append("\(NumberText.trimmed(canary)) < min \(NumberText.trimmed(min))")
        }
        return failures
    }

    /// The relative limit the canary's aggregate exceeds, as text; nil when it stays within it (or there is none).
    static func relativeFinding(_ rule: KPIRule, _ canary: Double, _ baseline: Double) -> String? {
        guard let maxIncrease = rule.maxIncrease else { return nil }
        let allowed = baseline + abs(baseline) * maxIncrease
        guard canary > allowed else { return nil }
        let percent = NumberText.trimmed(maxIncrease * 100, places: 2)
        return "\(NumberText.trimmed(canary)) > \(NumberText.trimmed(allowed)) allowed (baseline +\(percent)%)"
    }

    /// A verdict whose pass or failure follows from its classification.
    static func verdict(
        _ rule: KPIRule,
        _ classification: KPIClassification,
        _ findings: [String],
        _ statistics: MannWhitneyResult?,
        _ canaryAggregate: Double?,
        _ baselineAggregate: Double?
    ) -> KPIVerdict {
        KPIVerdict(
            name: rule.name,
            classification: classification,
            passed: classification == .pass,
            critical: rule.critical,
            reason: "\(rule.name): \(findings.joined(separator: ", ")) → \(classification.rawValue)",
            statistics: statistics,
            canaryAggregate: canaryAggregate,
            baselineAggregate: baselineAggregate
        )
    }

    /// A `no_data` verdict, passed or failed or without a result according to the rule's no-data policy.
    static func noData(
        _ rule: KPIRule,
        missing: String,
        canaryAggregate: Double? = nil,
        baselineAggregate: Double? = nil
    ) -> KPIVerdict {
        let passed: Bool? = switch rule.noData {
        case .pass: true
        case .fail: false
        case .inconclusive: nil
        }
        return KPIVerdict(
            name: rule.name,
            classification: .noData,
            passed: passed,
            critical: rule.critical,
            reason: "\(rule.name): \(missing) → no_data (policy: \(rule.noData.rawValue))",
            canaryAggregate: canaryAggregate,
            baselineAggregate: baselineAggregate
        )
    }
}
