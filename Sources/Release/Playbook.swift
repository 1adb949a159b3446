public import Diagnostics

/// A parsed deployment playbook: what to deploy, where, and how.
public struct Playbook: Sendable, Hashable {
    /// The application name, used in directory and lock names.
    public var app: String
    /// The absolute directory holding `releases/`, `shared/` and `current`.
    public var deployRoot: String
    /// The absolute local path of the artifact; `nil` when the playbook names none (the CLI must supply it).
    public var artifactPath: String?
    /// Whether the artifact may carry set-uid, set-gid, sticky and group- or other-writable modes
    /// (`artifact_modes: preserve`); by default the artifact check refuses them.
    public var preserveArtifactModes = false
    /// The version to deploy; `nil` means derive it from the artifact's file name.
    public var version: String?
    /// How many releases to keep on each host (at least 2).
    public var keepReleases: Int
    /// Paths inside `deploy_root/shared` linked into each release.
    public var shared: [String]
    /// How hosts are moved to the new release.
    public var strategy: Strategy
    /// How many hosts are worked on at once.
    public var parallel: Int
    /// How many hosts may fail before the rollout stops.
    public var maxFailures: FailureBudget
    /// Time limits.
    public var timeouts: PlaybookTimeouts
    /// Remote hook commands.
    public var hooks: Hooks
    /// Checks run on each host after the switch.
    public var health: [HealthCheck]
    /// How long a switched host's health checks must keep passing, re-run every second, before
    /// its wave is promoted (`stable_for`; `0s` turns the hold off). A canary step may set its own.
    public var stableFor: Duration = Playbook.defaultStableFor
    /// `stable_for` when the playbook does not set it: an app that dies within seconds of
    /// starting fails its wave instead of being promoted.
    public static let defaultStableFor: Duration = .seconds(10)
    /// Smoke tests run after each wave's health checks.
    public var smoke: [SmokeTest] = []
    /// KPIs for canary analysis, in file order.
    public var kpis: [KPIDefinition] = []
    /// Blue/green: what each slot listens on.
    public var slots = SlotPorts()
    /// `artifact_store`: the directory artifacts are found in by release id or sha256 (`--release`)
    /// and added to (`--store`); absolute.
    public var artifactStore: String?
    /// `artifact_store.url`: where the hosts can download the store's artifacts over HTTP(S).
    public var artifactStoreURL: ArtifactStoreURLSetting?
    /// `distribution`: how the artifact reaches the hosts (`direct` unless the playbook says).
    public var distribution: ArtifactDistribution = .direct
    /// `relay`: the shape of the relay tree (`distribution: relay`).
    public var relay = RelaySettings()
    /// Webhooks told about the deploy (`notify:`), in file order.
    public var notify: [Webhook] = []
    /// Which environment must have run an artifact before another accepts it (`promotion:`).
    public var promotion = PromotionPolicy()
    /// The rollback policy named by `rollback:`; `nil` means `RollbackPolicy.standard`.
    public var rollbackPolicyName: String?
    /// Where the `rollback:` value was written, for "not found" messages.
    public var rollbackPolicyLocation: SourceLocation?
    /// The playbook file.
    public var path: String

    /// Creates a playbook with the documented defaults.
    public init(
        app: String, deployRoot: String, artifactPath: String? = nil, version: String? = nil, keepReleases: Int = 5,
        shared: [String] = [], strategy: Strategy = .allAtOnce, parallel: Int = 50, maxFailures: FailureBudget = .count(0),
        timeouts: PlaybookTimeouts = PlaybookTimeouts(), hooks: Hooks = Hooks(), health: [HealthCheck] = [],
        rollbackPolicyName: String? = nil, rollbackPolicyLocation: SourceLocation? = nil, path: String
    ) {
        self.app = app
        self.deployRoot = deployRoot
        self.artifactPath = artifactPath
        self.version = version
        self.keepReleases = keepReleases
        self.shared = shared
        self.strategy = strategy
        self.parallel = parallel
        self.maxFailures = maxFailures
        self.timeouts = timeouts
        self.hooks = hooks
        self.health = health
        self.rollbackPolicyName = rollbackPolicyName
        self.rollbackPolicyLocation = rollbackPolicyLocation
        self.path = path
    }
}
