/// The outcome of a two-sided Mann-Whitney U test of the canary against the baseline.
public struct MannWhitneyResult: Sendable, Hashable {
    /// U of the canary sample: `R1 - n1(n1+1)/2`, where R1 is the canary's rank sum (ties get average ranks).
    ///
    /// This is the canary's own U, not min(U1, U2): it runs from 0 (every canary sample below every baseline sample)
    /// to n1·n2 (every canary sample above), like SciPy's `mannwhitneyu(canary, baseline).statistic`.
    public var u: Double
    /// The two-sided p-value.
    public var p: Double
    /// The continuity-corrected z score of the normal approximation, positive when the canary tends to be larger;
    /// nil when ``p`` is exact.
    public var z: Double?
    /// The rank-biserial correlation `2·U/(n1·n2) − 1` (equal to `1 − 2·U2/(n1·n2)`), in −1...1.
    ///
    /// Positive when the canary tends to be larger: 1 when every canary sample is above every baseline sample.
    public var effectSize: Double
    /// Whether ``p`` comes from the exact distribution of U rather than the normal approximation.
    public var exact: Bool

    /// Makes a result.
    public init(u: Double, p: Double, z: Double?, effectSize: Double, exact: Bool) {
        self.u = u
        self.p = p
        self.z = z
        self.effectSize = effectSize
        self.exact = exact
    }
}
