/// How one KPI came out, with the numbers behind it and a reason a human can read.
public struct KPIVerdict: Sendable, Hashable {
    /// The KPI's name.
    public var name: String
    /// The Kayenta-like classification.
    public var classification: KPIClassification
    /// Whether the KPI passed; nil when it has no result (no data under the `inconclusive` policy).
    public var passed: Bool?
    /// Whether a failure of this KPI fails the canary on its own.
    public var critical: Bool
    /// One line explaining the outcome, e.g.
    /// "error_rate: canary median 0.37 vs baseline 0.01, Mann-Whitney U=0.0 p=0.0002, effect size -1.00 … → fail".
    public var reason: String
    /// The Mann-Whitney test of canary against baseline, when both had samples.
    public var statistics: MannWhitneyResult?
    /// The canary samples summarised by the rule's aggregate, when the canary had samples.
    public var canaryAggregate: Double?
    /// The baseline samples summarised by the rule's aggregate, when the baseline had samples.
    public var baselineAggregate: Double?

    /// Makes a verdict.
    public init(
        name: String,
        classification: KPIClassification,
        passed: Bool?,
        critical: Bool,
        reason: String,
        statistics: MannWhitneyResult? = nil,
        canaryAggregate: Double? = nil,
        baselineAggregate: Double? = nil
    ) {
        self.name = name
        self.classification = classification
        self.passed = passed
        self.critical = critical
        self.reason = reason
        self.statistics = statistics
        self.canaryAggregate = canaryAggregate
        self.baselineAggregate = baselineAggregate
    }
}
