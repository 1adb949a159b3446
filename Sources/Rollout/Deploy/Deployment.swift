import Analysis
import Foundation
import Fleet
import Release
import Synchronization
import Transport

/// `cutover deploy`: push one artifact to every selected host, then switch wave by wave with
/// health checks, rolling back as the policy says. Every host ends on the new release or on
/// the one it had before.
public struct Deployment: Sendable {
    public let request: DeployRequest
    /// The first preparation, reused: the playbook, policy and inventory are read and the
    /// artifact inspected (hashed) once, however often ``plan()`` and ``run(events:stop:admission:)``
    /// are called on this value, and the plan a confirmation showed is the one that runs.
    private let prepared: PreparationCache

    public init(_ request: DeployRequest) {
        self.request = request
        prepared = PreparationCache()
    }

    /// This deploy with its hosts' leases waited for at most `lockWait` (what remains of
    /// `--lock-wait` once the ledger's lease is held), sharing this one's preparation: the
    /// plan a confirmation showed is still the one that runs.
    public func waitingForLeases(_ lockWait: Duration) -> Deployment {
        var request = request
        request.lockWait = lockWait
        return Deployment(request, prepared: prepared)
    }

    private init(_ request: DeployRequest, prepared: PreparationCache) {
        self.request = request
        self.prepared = prepared
    }

    /// The plan only: loads and validates everything, touches no host.
    public func plan() async throws(RolloutError) -> DeployPlan {
        let prepared = try await prepare()
        _ = try MigrationPlacement(prepared.playbook.hooks.migrate, selection: prepared.selection, firstWave: prepared.plan.waves.first ?? [])
        return prepared.plan
    }

    private func prepare() async throws(RolloutError) -> DeployPreparation {
        if let done = prepared.value {
            // The file inspected for the plan (a confirmation showed it) must be the one that
            // runs: a pipeline that rebuilt it meanwhile gets a clear refusal, not hosts failing
            // the sha256 check one by one.
            guard ArtifactStamp(done.artifact.path) == prepared.stamp else {
                throw .usage("the artifact \(done.artifact.path) changed since it was inspected for the plan (sha256 \(done.artifact.sha256.prefix(12))…): nothing was touched; deploy again to inspect it anew")
            }
            return done
        }
        let preparation = try await freshPreparation()
        prepared.stamp = ArtifactStamp(preparation.artifact.path)
        prepared.value = preparation
        return preparation
    }

    private func freshPreparation() async throws(RolloutError) -> DeployPreparation {
        var connection = request.connection
        if let parallel = request.parallel { connection.parallel = parallel }
        return try await DeployPreparation(
            playbook: request.playbook, artifact: request.artifact, version: request.version,
            connection: connection, deployID: request.resumeDeployID ?? DeployPreparation.newDeployID(),
            strategy: request.strategy, store: request.store,
            distribution: request.distribution?.distribution)
    }

    /// Runs the deploy. `stop` asks for a graceful stop between phases and waves (outcome
    /// `interrupted`), or for an abort (`cutover abort`, SIGTERM) that rolls back what the deploy
    /// switched; cancelling the task stops at once.
    ///
    /// `admission` is asked once, after the plan and before any host is touched, whether the
    /// promotion policy lets the deploy go on (nil, or an admission answering nil: no policy).
    /// A refusal ends the deploy there: outcome `refused`, no host contacted.
    public func run(events: @escaping DeployEventSink, stop: StopRequest = StopRequest(),
                    admission: PromotionAdmission? = nil) async throws(RolloutError) -> DeployReport {
        try await run(events: events, stop: stop, admission: admission) { prepared in
            SSHHosts(connector: HostConnector(inventory: prepared.selection.inventory, hosts: prepared.selection.hosts, settings: prepared.settings))
        }
    }

    /// The deploy against the hosts `makeHosts` gives for the prepared plan: real ones over SSH
    /// (``run(events:stop:admission:)``) or simulated ones (tests, `Scripts/bench-sim`).
    func run<Hosts: DeployHosts>(events: @escaping DeployEventSink, stop: StopRequest = StopRequest(),
                                 admission: PromotionAdmission? = nil,
                                 hosts makeHosts: (DeployPreparation) -> Hosts) async throws(RolloutError) -> DeployReport {
        typealias Worker = Hosts.Worker
        let start = ContinuousClock.now
        let prepared = try await prepare()
        if let id = request.resumeDeployID, let expected = request.resumeRelease, expected != prepared.release.description {
            throw .usage("\(id) was deploying \(expected), not \(prepared.release) (this artifact): resume it with the same artifact, or `cutover unlock` and deploy this one")
        }
        let plan = prepared.plan
        let playbook = prepared.playbook
        let migration = try MigrationPlacement(playbook.hooks.migrate, selection: prepared.selection, firstWave: plan.waves.first ?? [])
        events(.started(DeployStart(operation: request.resumeDeployID == nil ? .deploy : .resume, deployID: plan.deployID, app: plan.app)))
        events(.planned(plan))
        if let admission, let check = await admission(plan) {
            events(.promotion(check))
            if check.decision == .refused {
                let report = DeployReport(
                    outcome: .refused, deployID: plan.deployID, release: plan.release,
                    reason: "refused by the promotion policy: \(check.environment) takes only what \(check.from) promoted first; \(check.reason); no host was touched",
                    hosts: [], duration: .now - start)
                events(.finished(report))
                return report
            }
        }

        let run = DeployRun(prepared: prepared, request: request, fleet: makeHosts(prepared), stop: stop, events: events, start: start)
        return await run.execute(migration: migration)
    }

    /// A stop asked for before any host was switched: an abort ends the deploy with nothing
    /// switched, a graceful stop as interrupted; nil when no stop was asked for.
    static func stoppedBeforeSwitching(_ stop: StopRequest, _ moment: String) -> (outcome: DeployOutcome, reason: String)? {
        if let by = stop.abortedBy { return (.notSwitched, "aborted by \(by) \(moment); nothing was switched") }
        if stop.isRequested || Task.isCancelled { return (.interrupted, "stopped \(moment)") }
        return nil
    }

    /// Waits for `cutover promote`/`abort` (the decision file on the canary hosts names this
    /// deploy), a stop request, or the pause's timeout and its default action. The hosts of
    /// `marking` say the deploy is paused while it waits: only then is an answer taken.
    /// Nil when the deploy was stopped meanwhile (Ctrl-C, an abort): the caller decides.
    static func waitForAnswer<Worker: HostWorker>(_ pause: ManualPause, wave: Int, deployID: String, hosts: [Worker], marking: [Worker],
                                                  stop: StopRequest, events: DeployEventSink) async -> (action: PauseAction, by: String)? {
        await HostFanOut<Worker, Void>(parallel: 50).run(marking, work: { await $0.setPaused(true) }, onResult: { _ in })
        let answer = await answer(pause, wave: wave, deployID: deployID, hosts: hosts, stop: stop, events: events)
        await Task { await HostFanOut<Worker, Void>(parallel: 50).run(marking, work: { await $0.setPaused(false) }, onResult: { _ in }) }.value
        return answer
    }

    private static func answer<Worker: HostWorker>(_ pause: ManualPause, wave: Int, deployID: String, hosts: [Worker],
                               stop: StopRequest, events: DeployEventSink) async -> (action: PauseAction, by: String)? {
        events(.paused(wave: wave, timeout: pause.timeout, onTimeout: pause.onTimeout))
        let deadline = ContinuousClock.now + pause.timeout
        while ContinuousClock.now < deadline {
            if let by = stop.abortedBy {
                events(.pauseAnswered(action: .abort, by: by))
                return nil
            }
            if stop.isRequested || Task.isCancelled {
                events(.pauseAnswered(action: .abort, by: "Ctrl-C"))
                return nil
            }
            // Several hosts of the wave (up to 5): `promote` writes to all it reaches, and one
            // of them may not have taken the paused mark (or be gone).
            for host in hosts.prefix(5) {
                if let decision = await host.readDecision(), decision["deploy"] == deployID,
                   let action = decision["action"].flatMap(PauseAction.init(rawValue:)) {
                    let by = decision["by"] ?? "someone"
                    events(.pauseAnswered(action: action, by: by))
                    return (action, by)
                }
            }
            try? await Task.sleep(for: .seconds(1))
        }
        events(.pauseAnswered(action: pause.onTimeout, by: "timeout after \(Int(pause.timeout.components.seconds))s"))
        return (pause.onTimeout, "timeout")
    }

    static func templateValues(_ host: Fleet.Host) -> TemplateValues {
        TemplateValues(host: host.name, address: host.address, vars: host.vars.mapValues(\.description))
    }
}

/// Holds a deploy's preparation once made, and the artifact file's stamp when it was inspected.
private final class PreparationCache: Sendable {
    private let stored = Mutex<(value: DeployPreparation?, stamp: ArtifactStamp?)>((nil, nil))

    var value: DeployPreparation? {
        get { stored.withLock { $0.value } }
        set { stored.withLock { $0.value = newValue } }
    }

    var stamp: ArtifactStamp? {
        get { stored.withLock { $0.stamp } }
        set { stored.withLock { $0.stamp = newValue } }
    }
}

/// A file's identity as `stat` gives it: a rewrite or a replacement changes it.
private struct ArtifactStamp: Sendable, Equatable {
    let device: UInt64, inode: UInt64, size: Int64, modified: Int64, modifiedNanos: Int

    init?(_ path: String) {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        device = UInt64(info.st_dev)
        inode = UInt64(info.st_ino)
        size = Int64(info.st_size)
        modified = Int64(info.st_mtim.tv_sec)
        modifiedNanos = Int(info.st_mtim.tv_nsec)
    }
}
