/// Remote commands run in the release directory at fixed points of a deployment.
public struct Hooks: Sendable, Hashable {
    /// Runs on each host before its `current` is switched (a migration belongs in `migrate`: once per deploy).
    public var beforeSwitch: String?
    /// Runs right after the switch (restart the service).
    public var activate: String?
    /// Runs after the host's health checks passed.
    public var afterSwitch: String?
    /// Runs after `current` was switched back during a rollback.
    public var onRollback: String?
    /// Blue/green: starts (or restarts) the release in a slot, before any traffic reaches it.
    /// Gets `CUTOVER_SLOT` and `CUTOVER_SLOT_PORT`.
    public var start: String?
    /// Blue/green: moves traffic to `CUTOVER_SLOT` (e.g. rewrites an nginx upstream and reloads).
    public var switchTraffic: String?
    /// Runs once per deploy, on one host, in the new release, after the push and before any switch.
    public var migrate: Migration?

    /// Creates hooks; all optional.
    public init(beforeSwitch: String? = nil, activate: String? = nil, afterSwitch: String? = nil, onRollback: String? = nil,
                start: String? = nil, switchTraffic: String? = nil, migrate: Migration? = nil) {
        self.beforeSwitch = beforeSwitch
        self.activate = activate
        self.afterSwitch = afterSwitch
        self.onRollback = onRollback
        self.start = start
        self.switchTraffic = switchTraffic
        self.migrate = migrate
    }
}
