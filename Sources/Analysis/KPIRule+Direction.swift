extension KPIRule {
    /// Which change of a KPI is bad, for the statistical test.
    public enum Direction: String, Sendable, Hashable, CaseIterable {
        /// The canary being higher than the baseline is bad (error rates, latency).
        case increase
        /// The canary being lower than the baseline is bad (throughput, success rates).
        case decrease
        /// Any real difference is bad.
        case either
    }
}
