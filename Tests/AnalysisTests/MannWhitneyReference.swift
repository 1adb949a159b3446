import Testing

/// One Mann-Whitney test case with the values SciPy computes for it.
///
/// Produced with SciPy 1.17.1:
/// `mannwhitneyu(canary, baseline, alternative="two-sided", method=M, use_continuity=True)`, with M = "exact" for the
/// exact cases and "asymptotic" for the rest; `effectSize` is `2·U/(n1·n2) − 1`, and `absoluteZ` is
/// `scipy.stats.norm.isf(p / 2)`.
struct MannWhitneyReference: Sendable, CustomTestStringConvertible {
    let name: String
    let canary: [Double]
    let baseline: [Double]
    let u: Double
    let p: Double
    let effectSize: Double
    let exact: Bool
    /// |z| of the normal approximation; nil for exact cases.
    let absoluteZ: Double?

    var testDescription: String { name }

    static let errorRatesCanary = [0.91, 0.37, 0.52, 0.44, 0.78, 0.66, 0.29, 0.85, 0.48, 0.71]
    static let errorRatesBaseline = [0.12, 0.33, 0.05, 0.41, 0.27, 0.19, 0.36, 0.08, 0.45, 0.22, 0.30, 0.15]

    static let all: [MannWhitneyReference] = [
        .init(name: "n=1 vs 1", canary: [1], baseline: [2],
              u: 0, p: 1.0, effectSize: -1, exact: true, absoluteZ: nil),
        .init(name: "n=1 vs 3", canary: [10], baseline: [1, 2, 3],
              u: 3, p: 0.5, effectSize: 1, exact: true, absoluteZ: nil),
        .init(name: "n=2 vs 3", canary: [1, 2], baseline: [3, 4, 5],
              u: 0, p: 0.2, effectSize: -1, exact: true, absoluteZ: nil),
        .init(name: "n=3 vs 3, canary higher", canary: [4, 5, 6], baseline: [1, 2, 3],
              u: 9, p: 0.1, effectSize: 1, exact: true, absoluteZ: nil),
        .init(name: "n=3 vs 2, interleaved", canary: [1.5, 3.5, 0.2], baseline: [1, 2],
              u: 3, p: 1.0, effectSize: 0, exact: true, absoluteZ: nil),
        .init(name: "n=10 vs 12, canary higher", canary: errorRatesCanary, baseline: errorRatesBaseline,
              u: 112, p: 0.0002072231174398357, effectSize: 0.8666666666666667, exact: true, absoluteZ: nil),
        .init(name: "n=12 vs 10, canary lower", canary: errorRatesBaseline, baseline: errorRatesCanary,
              u: 8, p: 0.0002072231174398357, effectSize: -0.8666666666666667, exact: true, absoluteZ: nil),
        .init(name: "n=20 vs 20, overlapping", canary: (0..<20).map { 2 * Double($0) + 1 },
              baseline: (0..<20).map { 2 * Double($0) + 6 },
              u: 153, p: 0.21096432724812078, effectSize: -0.235, exact: true, absoluteZ: nil),
        .init(name: "n=20 vs 20, shifted", canary: (0..<20).map { 2 * Double($0) + 11 },
              baseline: (0..<20).map { 2 * Double($0) },
              u: 295, p: 0.009483607191205003, effectSize: 0.475, exact: true, absoluteZ: nil),
        .init(name: "n=21 vs 5, above the exact limit", canary: (0..<21).map { Double($0) + 0.5 },
              baseline: [3.1, 7.2, 11.3, 2.4, 9.9],
              u: 72, p: 0.2164064943268028, effectSize: 0.37142857142857144, exact: false,
              absoluteZ: 1.2361400924014756),
        .init(name: "ties, n=4 vs 4", canary: [1, 2, 2, 3], baseline: [2, 3, 3, 4],
              u: 3, p: 0.1720337089218229, effectSize: -0.625, exact: false, absoluteZ: 1.3656982020004889),
        .init(name: "ties, n=3 vs 3, separated", canary: [0.37, 0.37, 0.40], baseline: [0.01, 0.01, 0.02],
              u: 9, p: 0.07219819770165753, effectSize: 1, exact: false, absoluteZ: 1.7978662999019797),
        .init(name: "identical constant samples", canary: [5, 5, 5], baseline: [5, 5, 5],
              u: 4.5, p: 1.0, effectSize: 0, exact: false, absoluteZ: 0),
        .init(name: "identical spread samples", canary: [1, 2, 3], baseline: [1, 2, 3],
              u: 4.5, p: 1.0, effectSize: 0, exact: false, absoluteZ: 0),
        .init(name: "n=50 vs 50, no ties", canary: (0..<50).map { Double(($0 * 37) % 101) + 0.25 },
              baseline: (0..<50).map { Double(($0 * 53) % 97) },
              u: 1386, p: 0.350245816633188, effectSize: 0.1088, exact: false, absoluteZ: 0.9341125931244392),
        .init(name: "n=50 vs 50, many ties", canary: (0..<50).map { Double($0 % 7) },
              baseline: (0..<50).map { Double($0 % 5 + 1) },
              u: 1225, p: 0.8641620042109921, effectSize: -0.02, exact: false, absoluteZ: 0.1710785469776341),
    ]
}
