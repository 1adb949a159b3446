/// The overall outcome of a canary judgement.
public enum Verdict: String, Sendable, Hashable, CaseIterable {
    /// The score reached the pass threshold and no critical KPI failed.
    case pass
    /// The score reached the marginal threshold but not the pass threshold.
    case marginal
    /// A critical KPI failed or the score stayed below the marginal threshold.
    case fail
    /// Not enough data to judge.
    case inconclusive
}
