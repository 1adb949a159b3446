/// Which failures roll hosts back automatically.
public enum RollbackTrigger: String, Sendable, Hashable, CaseIterable {
    case health
    case hook
    case smoke
    case kpi
}

/// Which hosts a rollback covers.
public enum RollbackScope: String, Sendable, Hashable, CaseIterable {
    /// Only the failed host.
    case host
    /// Every host of the failed wave.
    case wave
    /// Every host the rollout touched.
    case all
}

/// What an inconclusive canary verdict (not enough data to judge) leads to.
public enum InconclusiveAction: String, Sendable, Hashable, CaseIterable {
    /// Wait for `cutover promote` / `cutover abort` (abort after the step's pause timeout, default 1h).
    case pause
    /// Treat it as a failure.
    case rollback
    /// Go on.
    case promote
}

/// What happens when a deployment fails: which failures roll back, how widely, and what is checked after.
public struct RollbackPolicy: Sendable, Hashable {
    /// The policy's name (file name without `.yml`).
    public var name: String
    /// Failures that roll back automatically.
    public var triggers: Set<RollbackTrigger>
    /// Which hosts are rolled back.
    public var scope: RollbackScope
    /// How many hosts are rolled back at once.
    public var parallel: Int
    /// Checks run on each host after rolling back.
    public var checks: [HealthCheck]
    /// What an inconclusive canary verdict does.
    public var inconclusive: InconclusiveAction = .pause

    /// Creates a policy.
    public init(name: String, triggers: Set<RollbackTrigger>, scope: RollbackScope, parallel: Int = 50, checks: [HealthCheck] = []) {
        self.name = name
        self.triggers = triggers
        self.scope = scope
        self.parallel = parallel
        self.checks = checks
    }

    /// The policy used when a playbook names none: health and hook failures roll back every touched host.
    public static let standard = RollbackPolicy(name: "standard", triggers: [.health, .hook, .smoke, .kpi], scope: .all)
}
