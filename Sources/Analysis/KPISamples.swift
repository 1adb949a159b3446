/// The samples of one KPI over the bake window, from the canary hosts and from the baseline hosts.
///
/// An empty array means that side has no data. NaN samples are ignored by the judge.
public struct KPISamples: Sendable, Hashable {
    /// Samples from the canary hosts.
    public var canary: [Double]
    /// Samples from the baseline hosts.
    public var baseline: [Double]

    /// Makes a pair of sample series.
    public init(canary: [Double], baseline: [Double]) {
        self.canary = canary
        self.baseline = baseline
    }
}
