/// The score (0...100) a canary needs for a pass and for a marginal verdict.
public struct JudgeThresholds: Sendable, Hashable {
    /// A score at or above this passes.
    public var pass: Double = 75
    /// A score at or above this (and below ``pass``) is marginal; below it fails.
    public var marginal: Double = 50

    /// Makes thresholds; the defaults are 75 and 50.
    public init(pass: Double = 75, marginal: Double = 50) {
        self.pass = pass
        self.marginal = marginal
    }
}
