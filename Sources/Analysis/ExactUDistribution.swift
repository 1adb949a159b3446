/// The null distribution of the Mann-Whitney U statistic for two untied samples of given sizes.
///
/// `counts[k]` is the number of the `C(m+n, m)` orderings of the pooled samples whose U is `k`: the coefficients of
/// the Gaussian binomial `[m+n choose m]_q`, built one factor `(1 − q^(n+i)) / (1 − q^i)` at a time.
struct ExactUDistribution: Sendable, Hashable {
    /// How many orderings have each U, indexed by U (0...m·n).
    let counts: [Double]
    /// The total number of orderings.
    let total: Double

    /// The distribution for samples of sizes `m` and `n`.
    init(_ m: Int, _ n: Int) {
        let size = m * n
        var coefficients = [Double](repeating: 0, count: size + 1)
        coefficients[0] = 1
        for i in stride(from: 1, through: m, by: 1) {
            let rise = n + i
            if rise <= size {
                for k in stride(from: size, through: rise, by: -1) { coefficients[k] -= coefficients[k - rise] }
            }
            if i <= size {
                for k in stride(from: i, through: size, by: 1) { coefficients[k] += coefficients[k - i] }
            }
        }
        counts = coefficients
        total = coefficients.reduce(0, +)
    }

    /// P(U ≥ u).
    func upperTail(_ u: Int) -> Double {
        guard u > 0 else { return 1 }
        guard u < counts.count else { return 0 }
        return counts[u...].reduce(0, +) / total
    }
}
