/// The rules one KPI is judged by: absolute thresholds, a relative limit against the baseline, and the statistical test.
///
/// Every check is optional except the Mann-Whitney test, which runs whenever both the canary and the baseline have
/// samples. A KPI fails when any of its checks fails.
public struct KPIRule: Sendable, Hashable {
    /// The KPI's name, as it appears in verdicts and reasons.
    public var name: String
    /// Upper bound on the canary's aggregate (see ``aggregate``); crossing it fails the KPI.
    public var max: Double?
    /// Lower bound on the canary's aggregate (see ``aggregate``); going below it fails the KPI.
    public var min: Double?
    /// The largest allowed relative rise of the canary's aggregate over the baseline's: 0.2 allows 20% more.
    ///
    /// The allowance is `baseline + |baseline| × maxIncrease`, so a zero baseline allows no rise at all.
    public var maxIncrease: Double?
    /// Which change the Mann-Whitney test counts as bad.
    public var direction: Direction
    /// Whether a failure of this KPI fails the canary on its own, whatever the score.
    public var critical: Bool
    /// The KPI's share in the score; non-negative, 1 by default.
    public var weight: Double
    /// What a missing side (no samples) means for this KPI.
    public var noData: NoDataPolicy
    /// How samples are summarised for the threshold and relative checks.
    public var aggregate: Aggregate
    /// The Mann-Whitney test's alpha: a difference needs `p < significance` to be real.
    public var significance: Double
    /// The smallest |rank-biserial effect size| (0...1) a difference needs to be real, besides significance.
    public var minimumEffect: Double
    /// The largest share (0...1) of the canary's samples that may be missing (0.2: 20%). Beyond
    /// it, samples the canary could not give while the baseline's were taken fail the KPI, and
    /// samples missing on both sides are a `no_data` case.
    public var maxMissing: Double = 0.2
    /// Sampling rounds in a row with a canary sample missing that end it the same way.
    public var missingInARow: Int = 3
    /// Rounds in a row whose canary aggregate is outside `max`/`min` that fail a critical KPI at
    /// once, ending the bake early.
    public var breachesInARow: Int = 3

    /// Makes a rule; only the name is required.
    public init(
        name: String,
        max: Double? = nil,
        min: Double? = nil,
        maxIncrease: Double? = nil,
        direction: Direction = .either,
        critical: Bool = false,
        weight: Double = 1,
        noData: NoDataPolicy = .inconclusive,
        aggregate: Aggregate = .mean,
        significance: Double = 0.05,
        minimumEffect: Double = 0.3
    ) {
        self.name = name
        self.max = max
        self.min = min
        self.maxIncrease = maxIncrease
        self.direction = direction
        self.critical = critical
        self.weight = weight
        self.noData = noData
        self.aggregate = aggregate
        self.significance = significance
        self.minimumEffect = minimumEffect
    }
}
