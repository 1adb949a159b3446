/// What a Mann-Whitney result means under a KPI's rule: whether the difference is real, and whether it is bad.
struct StatisticalFinding: Sendable, Hashable {
    /// `high` or `low` when the canary differs significantly in a direction the rule calls bad; nil otherwise.
    let badClassification: KPIClassification?
    /// The test and its reading, e.g. "Mann-Whitney U=100.0 p=0.0002 (exact), effect size 1.00 ≥ 0.3 (canary
    /// higher, bad for direction increase)".
    let text: String

    /// Reads `statistics` under `rule`'s significance, minimum effect and direction.
    init(rule: KPIRule, statistics: MannWhitneyResult) {
        let effect = statistics.effectSize
        let method = statistics.exact ? "exact" : "normal approximation"
        let head = "Mann-Whitney U=\(NumberText.fixed(statistics.u, places: 1)) p\(NumberText.pValue(statistics.p)) "
            + "(\(method)), effect size \(NumberText.fixed(effect, places: 2))"
        let minimum = NumberText.trimmed(rule.minimumEffect)
        guard statistics.p < rule.significance else {
            badClassification = nil
            text = head + ", p ≥ \(NumberText.trimmed(rule.significance)): no significant difference"
            return
        }
        guard abs(effect) >= rule.minimumEffect else {
            badClassification = nil
            text = head + ", |effect| < \(minimum): difference too small to matter"
            return
        }
        let higher = effect > 0
        let side = higher ? "higher" : "lower"
        let bad = switch rule.direction {
        case .either: true
        case .increase: higher
        case .decrease: !higher
        }
        badClassification = bad ? (higher ? .high : .low) : nil
        let judgement = bad ? "bad" : "allowed"
        text = head + ", |effect| ≥ \(minimum) (canary \(side), \(judgement) for direction \(rule.direction.rawValue))"
    }
}
