/// Remote commands run in the release directory at fixed points of a deployment.
public struct Hooks: Sendable, Hashable {
    /// Runs before `current` is switched (migrations).
    public var beforeSwitch: String?
    /// Runs right after the switch (restart the service).
    public var activate: String?
    /// Runs after the host's health checks passed.
    public var afterSwitch: String?
    /// Runs after `current` was switched back during a rollback.
    public var onRollback: String?

    /// Creates hooks; all optional.
    public init(beforeSwitch: String? = nil, activate: String? = nil, afterSwitch: String? = nil, onRollback: String? = nil) {
        self.beforeSwitch = beforeSwitch
        self.activate = activate
        self.afterSwitch = afterSwitch
        self.onRollback = onRollback
    }
}

/// Time limits for the slow steps of a deployment.
public struct PlaybookTimeouts: Sendable, Hashable {
    /// Limit for uploading the artifact to one host (default 10 minutes).
    public var upload: Duration
    /// Limit for one hook run (default 5 minutes).
    public var hook: Duration

    /// Creates timeouts with the defaults.
    public init(upload: Duration = .seconds(600), hook: Duration = .seconds(300)) {
        self.upload = upload
        self.hook = hook
    }
}
