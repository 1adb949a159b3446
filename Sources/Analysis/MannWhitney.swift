/// The two-sided Mann-Whitney U (Wilcoxon rank-sum) test of canary samples against baseline samples.
///
/// The p-value is exact, from the distribution of U, when both samples have at most ``exactLimit`` values and no
/// value occurs twice; otherwise it comes from the normal approximation with tie and continuity corrections. Both
/// agree with SciPy's `mannwhitneyu(canary, baseline, alternative="two-sided")` with `method="exact"` and
/// `method="asymptotic"` respectively.
public enum MannWhitney {
    /// The largest sample size for which the exact distribution is used.
    public static let exactLimit = 20

    /// Tests `canary` against `baseline`; nil if either is empty. NaN values are dropped first.
    public static func test(_ canary: [Double], _ baseline: [Double]) -> MannWhitneyResult? {
        let first = canary.filter { !$0.isNaN }
        let second = baseline.filter { !$0.isNaN }
        guard !first.isEmpty, !second.isEmpty else { return nil }
        let n1 = Double(first.count)
        let n2 = Double(second.count)
        let ranking = Ranking(first, second)
        let u = ranking.firstRankSum - n1 * (n1 + 1) / 2
        let effectSize = 2 * u / (n1 * n2) - 1
        if first.count <= exactLimit, second.count <= exactLimit, !ranking.hasTies {
            let larger = Int(max(u, n1 * n2 - u).rounded())
            let tail = ExactUDistribution(first.count, second.count).upperTail(larger)
            return MannWhitneyResult(u: u, p: min(1, 2 * tail), z: nil, effectSize: effectSize, exact: true)
        }
        let z = approximateZ(u: u, n1: n1, n2: n2, tieGroupSizes: ranking.tieGroupSizes)
        let p = min(1, 2 * NormalTail.probability(above: abs(z)))
        return MannWhitneyResult(u: u, p: p, z: z, effectSize: effectSize, exact: false)
    }

    /// The continuity-corrected z of U under the normal approximation, with the variance corrected for ties.
    ///
    /// The correction moves U half a unit towards its mean, never past it; when every value is tied the variance is
    /// zero and z is 0.
    static func approximateZ(u: Double, n1: Double, n2: Double, tieGroupSizes: [Int]) -> Double {
        let n = n1 + n2
        let tieTerm = tieGroupSizes.reduce(0.0) { sum, size in
            let t = Double(size)
            return sum + (t * t * t - t)
        }
        let variance = n1 * n2 / 12 * ((n + 1) - tieTerm / (n * (n - 1)))
        guard variance > 0 else { return 0 }
        let distance = u - n1 * n2 / 2
        let corrected = max(0, abs(distance) - 0.5)
        return (distance < 0 ? -corrected : corrected) / variance.squareRoot()
    }
}
