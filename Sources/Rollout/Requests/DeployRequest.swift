import Release

/// `cutover deploy`: one artifact onto every selected host, in waves, with rollback.
public struct DeployRequest: Sendable, Hashable {
    public var connection: ConnectionSettings
    /// A playbook path, or a name in `Playbooks/`.
    public var playbook: String
    /// Overrides the playbook's `artifact`.
    public var artifact: String?
    /// Overrides the playbook's `version` (and the one derived from the artifact's name).
    public var version: String?
    /// How long to wait for another deploy's lease before giving up (exit 5).
    public var lockWait: Duration
    /// Overrides the playbook's `parallel` when set.
    public var parallel: Int?
    /// Set by `resume`: reuse this deploy id, so the interrupted deploy's lease is ours.
    public var resumeDeployID: String?
    /// Set by `resume`: the release the interrupted deploy was pushing (its leases say), when known;
    /// another artifact is refused before any host is touched.
    public var resumeRelease: String?
    /// Set by `resume`: waves whose hosts all still run the release and passed its gates since
    /// their last switch (their journals say) are not run again.
    public var resuming = false
    /// `--canary`, `--rolling`, `--all-at-once`, `--blue-green`: overrides the playbook's strategy.
    public var strategy: StrategyChoice?
    /// `--release` and `--store`: the playbook's artifact store.
    public var store = ArtifactStoreUse()
    /// `--no-delta`: every host gets the whole artifact, even one holding an earlier release.
    public var noDelta = false
    /// `--distribution`: overrides the playbook's `distribution` (how the artifact reaches the hosts).
    public var distribution: DistributionChoice?

    public init(connection: ConnectionSettings, playbook: String, artifact: String? = nil, version: String? = nil,
                lockWait: Duration = .zero, parallel: Int? = nil, resumeDeployID: String? = nil, strategy: StrategyChoice? = nil) {
        self.connection = connection
        self.playbook = playbook
        self.artifact = artifact
        self.version = version
        self.lockWait = lockWait
        self.parallel = parallel
        self.resumeDeployID = resumeDeployID
        self.strategy = strategy
    }
}

/// How the artifact reaches the hosts, chosen on the command line (`--distribution`).
public enum DistributionChoice: String, Sendable, Hashable, CaseIterable {
    /// The runner pushes it to every host over SSH.
    case direct
    /// Every host downloads it from the playbook's `artifact_store.url`; a host that cannot is pushed to.
    case pull
    /// The runner pushes it to a few hosts, which pass it on to the others over SSH.
    case relay

    /// The playbook's word for the same choice (each case mapped, none by a fallback).
    var distribution: ArtifactDistribution {
        switch self {
        case .direct: .direct
        case .pull: .pull
        case .relay: .relay
        }
    }
}

/// A strategy chosen on the command line.
public enum StrategyChoice: String, Sendable, Hashable, CaseIterable {
    case canary
    case rolling
    case allAtOnce = "all-at-once"
    case blueGreen = "blue-green"
}

/// `cutover rollback`: every selected host back to its previous release (or `--to`).
public struct RollbackRequest: Sendable, Hashable {
    public var connection: ConnectionSettings
    public var playbook: String
    /// A release id to go to instead of each host's previous release.
    public var target: String?
    /// When `target` is the ledger's known-good release: the release the ledger believes the
    /// fleet runs. A host on neither means a deploy the ledger never saw (killed, or run
    /// without the ledger) moved it: the fleet then goes back to this release instead.
    public var ledgerCurrent: String?
    /// Why `target` is the target (the ledger's reasoning), said as the rollback's first line.
    public var targetReason: String?
    public var lockWait: Duration

    public init(connection: ConnectionSettings, playbook: String, target: String? = nil, lockWait: Duration = .zero) {
        self.connection = connection
        self.playbook = playbook
        self.target = target
        self.lockWait = lockWait
    }
}

/// `cutover status`, `cutover unlock`, `cutover plan`: a playbook and the hosts.
public struct PlaybookRequest: Sendable, Hashable {
    public var connection: ConnectionSettings
    public var playbook: String
    public var artifact: String?
    public var version: String?

    public init(connection: ConnectionSettings, playbook: String, artifact: String? = nil, version: String? = nil) {
        self.connection = connection
        self.playbook = playbook
        self.artifact = artifact
        self.version = version
    }
}

/// `--release ID` (deploy the artifact the playbook's `artifact_store` holds under that release
/// id or sha256) and `--store` (add the local artifact to the store).
public struct ArtifactStoreUse: Sendable, Hashable {
    public var release: String?
    public var add: Bool

    public init(release: String? = nil, add: Bool = false) {
        self.release = release
        self.add = add
    }
}
