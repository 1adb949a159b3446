/// The samples of one KPI over the bake window, from the canary hosts and from the baseline hosts,
/// and what could not be sampled.
///
/// An empty array means that side has no data. NaN samples are ignored by the judge. Missing
/// samples are evidence: a canary that cannot answer while the baseline does counts against it.
public struct KPISamples: Sendable, Hashable {
    /// Samples from the canary hosts.
    public var canary: [Double]
    /// Samples from the baseline hosts.
    public var baseline: [Double]
    /// Canary samples asked for (taken or not); 0 when unknown (only the values were given).
    public var canaryAttempts: Int = 0
    /// Canary samples that could not be taken (timeout, failed command, HTTP error, no result).
    public var canaryMissing: Int = 0
    /// Of those, the ones missing in a round where the baseline's samples were taken.
    public var canaryMissingWhileBaselineAnswered: Int = 0
    /// The longest run of rounds in a row with a canary sample missing.
    public var longestMissingRun: Int = 0
    /// The longest such run in which the baseline answered every round.
    public var longestMissingRunWhileBaselineAnswered: Int = 0
    /// The longest run of rounds in a row whose canary aggregate crossed `max` or `min`.
    public var longestBreachRun: Int = 0

    /// Makes a pair of sample series.
    public init(canary: [Double], baseline: [Double]) {
        self.canary = canary
        self.baseline = baseline
    }
}
