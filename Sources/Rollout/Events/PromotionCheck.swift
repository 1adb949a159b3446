/// What the promotion policy said about a deploy, before any host was touched: the playbook's
/// `promotion:` rule for the deploy's environment, held against the ledger.
public struct PromotionCheck: Sendable, Hashable {
    public enum Decision: String, Sendable, Hashable, CaseIterable {
        /// The ledger shows the artifact promoted in `from` (and soaked, when asked).
        case passed
        /// It does not: the deploy stops before touching any host (exit 6).
        case refused
        /// It does not, and `--override-promotion REASON` let the deploy go on.
        case overridden
    }

    /// The environment being deployed to.
    public var environment: String
    /// The environment the artifact must have passed first.
    public var from: String
    public var decision: Decision
    /// What the ledger shows in `from` (the evidence, or why there is none).
    public var reason: String
    /// `--override-promotion`'s reason, when the decision is `overridden`.
    public var overrideReason: String?

    public init(environment: String, from: String, decision: Decision, reason: String, overrideReason: String? = nil) {
        self.environment = environment
        self.from = from
        self.decision = decision
        self.reason = reason
        self.overrideReason = overrideReason
    }
}

/// Asked once per deploy, after the plan and before any host is touched: the promotion policy's
/// check, or nil when the deploy's environment has no rule. The engine knows nothing of the
/// ledger; the caller that composes the deploy does.
public typealias PromotionAdmission = @Sendable (DeployPlan) async -> PromotionCheck?
