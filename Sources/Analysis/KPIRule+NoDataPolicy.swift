extension KPIRule {
    /// What a KPI without the samples its checks need counts as.
    public enum NoDataPolicy: String, Sendable, Hashable, CaseIterable {
        /// The KPI fails.
        case fail
        /// The KPI passes.
        case pass
        /// The KPI has no result; it leaves the score alone and makes the canary inconclusive.
        case inconclusive
    }
}
