public import Diagnostics
public import Foundation

/// One finished run of a release verb, as the ledger keeps it: who ran it, what it deployed,
/// where (each host's final state), when, how it ended and why, and the times DORA needs.
public struct LedgerRecord: Sendable, Hashable, Codable {
    /// The verb that ran.
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        case deploy, resume, rollback, promote, abort
    }

    /// How it ended: `DeployOutcome`'s values.
    public enum Outcome: String, Sendable, Hashable, Codable, CaseIterable {
        case promoted, partial
        case rolledBack = "rolled_back"
        case notConverged = "not_converged"
        case lockHeld = "lock_held"
        case interrupted
        case notSwitched = "not_switched"
        /// Refused by the promotion policy before any host was touched.
        case refused
    }

    /// The store's own id (set when read back; nil before it is written).
    public var id: Int64?
    /// The deploy id (`d-…`, `r-…` for a rollback); for promote and abort, the paused deploy's id when known.
    public var deployID: String
    public var kind: Kind
    public var app: String
    /// `<version>-<sha256 prefix>`; for a rollback, the release every host went to when they agree.
    public var release: String?
    public var version: String?
    public var artifactSHA256: String?
    /// When the artifact was built, when it says (`ArtifactBuildTime`), and from what.
    public var artifactBuiltAt: Date?
    public var artifactBuildTimeSource: String?
    public var strategy: String?
    public var outcome: Outcome
    public var reason: String?
    public var startedAt: Date
    public var finishedAt: Date
    /// The first failed gate (health, smoke, hook, KPI verdict, abort), when one failed.
    public var gateFailedAt: Date?
    /// When the rollback's checks passed on the last host, when a rollback was verified.
    public var rollbackVerifiedAt: Date?
    public var invoker: Invoker
    public var hosts: [HostRecord]
    /// The environment the run's inventory names (or `--environment`); records written before
    /// Cutover recorded environments read as `default` (``EnvironmentName/unnamed``).
    public var environment: String
    /// Why the promotion policy was overridden (`--override-promotion`), when it was; who did
    /// it is ``invoker``.
    public var promotionOverride: String?

    public init(id: Int64? = nil, deployID: String, kind: Kind, app: String, release: String? = nil, version: String? = nil,
                artifactSHA256: String? = nil, artifactBuiltAt: Date? = nil, artifactBuildTimeSource: String? = nil,
                strategy: String? = nil, outcome: Outcome, reason: String? = nil, startedAt: Date, finishedAt: Date,
                gateFailedAt: Date? = nil, rollbackVerifiedAt: Date? = nil, invoker: Invoker, hosts: [HostRecord] = [],
                environment: String = EnvironmentName.unnamed, promotionOverride: String? = nil) {
        self.id = id
        self.deployID = deployID
        self.kind = kind
        self.app = app
        self.release = release
        self.version = version
        self.artifactSHA256 = artifactSHA256
        self.artifactBuiltAt = artifactBuiltAt
        self.artifactBuildTimeSource = artifactBuildTimeSource
        self.strategy = strategy
        self.outcome = outcome
        self.reason = reason
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.gateFailedAt = gateFailedAt
        self.rollbackVerifiedAt = rollbackVerifiedAt
        self.invoker = invoker
        self.hosts = hosts
        self.environment = environment
        self.promotionOverride = promotionOverride
    }

    enum CodingKeys: String, CodingKey {
        case id, kind, app, release, version, strategy, outcome, reason, invoker, hosts, environment
        case promotionOverride = "promotion_override"
        case deployID = "deploy_id"
        case artifactSHA256 = "artifact_sha256"
        case artifactBuiltAt = "artifact_built_at"
        case artifactBuildTimeSource = "artifact_build_time_source"
        case startedAt = "started_at"
        case finishedAt = "finished_at"
        case gateFailedAt = "gate_failed_at"
        case rollbackVerifiedAt = "rollback_verified_at"
    }

    /// Every key, absent values as null: a stable shape for pipelines.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(deployID, forKey: .deployID)
        try container.encode(kind, forKey: .kind)
        try container.encode(app, forKey: .app)
        try container.encode(environment, forKey: .environment)
        try container.encode(release, forKey: .release)
        try container.encode(version, forKey: .version)
        try container.encode(artifactSHA256, forKey: .artifactSHA256)
        try container.encode(artifactBuiltAt, forKey: .artifactBuiltAt)
        try container.encode(artifactBuildTimeSource, forKey: .artifactBuildTimeSource)
        try container.encode(strategy, forKey: .strategy)
        try container.encode(outcome, forKey: .outcome)
        try container.encode(reason, forKey: .reason)
        try container.encode(startedAt, forKey: .startedAt)
        try container.encode(finishedAt, forKey: .finishedAt)
        try container.encode(gateFailedAt, forKey: .gateFailedAt)
        try container.encode(rollbackVerifiedAt, forKey: .rollbackVerifiedAt)
        try container.encode(invoker, forKey: .invoker)
        try container.encode(hosts, forKey: .hosts)
        try container.encode(promotionOverride, forKey: .promotionOverride)
    }

    /// Reads every key `encode(to:)` writes; `environment` absent (an older export) is `default`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decodeIfPresent(Int64.self, forKey: .id)
        deployID = try container.decode(String.self, forKey: .deployID)
        kind = try container.decode(Kind.self, forKey: .kind)
        app = try container.decode(String.self, forKey: .app)
        environment = try container.decodeIfPresent(String.self, forKey: .environment) ?? EnvironmentName.unnamed
        release = try container.decodeIfPresent(String.self, forKey: .release)
        version = try container.decodeIfPresent(String.self, forKey: .version)
        artifactSHA256 = try container.decodeIfPresent(String.self, forKey: .artifactSHA256)
        artifactBuiltAt = try container.decodeIfPresent(Date.self, forKey: .artifactBuiltAt)
        artifactBuildTimeSource = try container.decodeIfPresent(String.self, forKey: .artifactBuildTimeSource)
        strategy = try container.decodeIfPresent(String.self, forKey: .strategy)
        outcome = try container.decode(Outcome.self, forKey: .outcome)
        reason = try container.decodeIfPresent(String.self, forKey: .reason)
        startedAt = try container.decode(Date.self, forKey: .startedAt)
        finishedAt = try container.decode(Date.self, forKey: .finishedAt)
        gateFailedAt = try container.decodeIfPresent(Date.self, forKey: .gateFailedAt)
        rollbackVerifiedAt = try container.decodeIfPresent(Date.self, forKey: .rollbackVerifiedAt)
        invoker = try container.decode(Invoker.self, forKey: .invoker)
        hosts = try container.decodeIfPresent([HostRecord].self, forKey: .hosts) ?? []
        promotionOverride = try container.decodeIfPresent(String.self, forKey: .promotionOverride)
    }
}

/// One host's part in a record: where it ended.
public struct HostRecord: Sendable, Hashable, Codable {
    public var host: String
    /// `DeployReport.HostFinalState`'s values: promoted, unchanged, failed, unreachable, rolled_back, rollback_failed.
    public var state: String
    /// The release `current` pointed at afterwards, when known.
    public var release: String?
    public var detail: String?

    public init(host: String, state: String, release: String? = nil, detail: String? = nil) {
        self.host = host
        self.state = state
        self.release = release
        self.detail = detail
    }

    enum CodingKeys: String, CodingKey {
        case host, state, release, detail
    }

    /// Every key, absent values as null.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(host, forKey: .host)
        try container.encode(state, forKey: .state)
        try container.encode(release, forKey: .release)
        try container.encode(detail, forKey: .detail)
    }
}
