/// The judgement of a whole canary: the overall verdict, its score and every KPI's verdict.
public struct CanaryJudgement: Sendable, Hashable {
    /// The overall verdict.
    public var verdict: Verdict
    /// 100 × passing weight / weight of the KPIs with a result; nil when no KPI has a result.
    public var score: Double?
    /// One verdict per KPI, in the order the rules were given.
    public var kpis: [KPIVerdict]
    /// One line explaining the overall verdict.
    public var reason: String

    /// Makes a judgement.
    public init(verdict: Verdict, score: Double?, kpis: [KPIVerdict], reason: String) {
        self.verdict = verdict
        self.score = score
        self.kpis = kpis
        self.reason = reason
    }
}
