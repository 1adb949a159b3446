/// How one KPI came out, in Kayenta's terms.
public enum KPIClassification: String, Sendable, Hashable, CaseIterable {
    /// Every check passed.
    case pass
    /// The canary is significantly higher than the baseline, which the rule's direction calls bad.
    case high
    /// The canary is significantly lower than the baseline, which the rule's direction calls bad.
    case low
    /// A side the checks need has no samples; the rule's no-data policy decides what it means.
    case noData = "no_data"
    /// An absolute threshold or the relative limit was crossed.
    case fail
}
