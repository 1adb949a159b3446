import Fleet
import Release

/// What the deploy engine asks of one host, phase by phase. ``HostDeployment`` does it over SSH
/// with the remote scripts; ``SimulatedHost`` does it in memory, so every decision of
/// ``DeployRun`` (budget, scope, triggers, pause, abort, resume, rollback targets) runs as a fast
/// test and the engine's own cost can be measured at 10,000 hosts (`Scripts/bench-sim`).
///
/// Each phase reports its steps as events and records what happened in ``run`` (a
/// ``HostRun``): the engine decides from that value, never from step strings.
protocol HostWorker: Actor {
    nonisolated var host: Fleet.Host { get }
    /// What this host went through so far.
    var run: HostRun { get }
    /// The deploy root's state read when the lease was taken (nil before, or when unreadable).
    var state: HostState? { get }
    var isConnected: Bool { get }
    /// Values for checks and KPI queries (the serving slot's in blue/green).
    var templateValues: TemplateValues { get }
    /// Bytes this run sent the host (artifact, delta bundle, file listing).
    var bytesSent: Int64 { get }

    // Preflight
    func connect() async
    /// Reads the deploy root and takes the lease (waiting up to `lockWait` for another run's).
    func takeLease(owner: String, lockWait: Duration, needsTar: Bool, artifact: LeaseArtifact?) async
    /// Fails a host serving from blue/green slots in a deploy that is not blue/green.
    func refuseIfSlotted()
    func push(_ push: PushPlan) async
    func migrate(_ migration: Migration, release: ReleaseID) async -> String?
    func migratedEarlier(release: ReleaseID) -> JournalEntry?
    func switchedEarlier(release: ReleaseID) -> JournalEntry?
    func reportMigratedEarlier(_ entry: JournalEntry)
    func reportMigrationImplied(by entry: JournalEntry)

    // Switch
    func stage(release: ReleaseID) async -> RollbackTrigger?
    func switchSlot(release: ReleaseID, stableFor: Duration) async -> RollbackTrigger?
    func activate(release: ReleaseID, stableFor: Duration) async -> RollbackTrigger?
    func verifiedEarlier(release: ReleaseID) -> Int?
    func adoptVerified(release: ReleaseID, wave: Int)
    func markVerified(wave: Int)

    // Canary bake and pauses
    func measure(_ command: String) async -> String?
    func setPaused(_ paused: Bool) async
    func readDecision() async -> [String: String]?

    // Rollback
    func rollBack(to explicitTarget: ReleaseID?, finishing: Bool) async -> String?
    func markFailed(_ reason: String)
    func markRollbackFailed(_ reason: String)

    // Finish
    func prune(keep: Int, release: ReleaseID)
    func renewLease() async
    func notTried(_ reason: String)
    /// Prunes when asked, journals what passed, releases the lease and disconnects.
    func finish() async
}

extension HostWorker {
    nonisolated var name: String { host.name }
    var healthy: Bool { run.healthy }
    var switched: Bool { run.switched }
    var switchAttempted: Bool { run.switchAttempted }
    /// The release `current` pointed at before this deploy switched it.
    var switchedFrom: ReleaseID? { run.switchedFrom }
    /// Where `current` points now, as far as this run changed it.
    var currentRelease: ReleaseID? { run.currentRelease }
    var failure: String? { run.failure }
    var unreachable: Bool { run.unreachable }
    var lockHolder: String? { run.lockHolder }

    /// Where this host ended, for the summary.
    func result(release: ReleaseID?) -> DeployReport.HostResult {
        run.result(host: name, release: release, hostCurrent: state?.current, bytesSent: bytesSent)
    }
}

/// Everything a host's push needs, as one value.
struct PushPlan: Sendable {
    let artifact: Artifact
    let release: ReleaseID
    let playbook: Playbook
    /// The artifact's manifest and delta bundles (nil: always the whole artifact).
    let delta: DeltaSource?
    let allowDelta: Bool
    /// `distribution: pull`: where the host downloads the artifact itself.
    let pull: PullSource?
}

/// Where a deploy's hosts come from: real hosts over SSH (``SSHHosts``) or simulated ones
/// (``SimulatedFleet``). Made once per deploy.
protocol DeployHosts: Sendable {
    associatedtype Worker: HostWorker
    /// One worker per host, in the order given.
    func workers(for hosts: [Fleet.Host], context: HostRunContext, stop: StopRequest,
                 events: @escaping DeployEventSink) -> [Worker]
    /// Watches for `cutover abort` on the leased hosts until stopped.
    func watchAborts(on hosts: [Worker], deployID: String, stop: StopRequest) -> any AbortWatching
    /// Closes what the workers share (jump-host tunnels).
    func close() async
}

/// A running watch for `cutover abort`.
protocol AbortWatching: Sendable {
    func stop() async
}
