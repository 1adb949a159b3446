import Release
import Synchronization

/// `cutover resume`: continues an interrupted deploy. The hosts' locks name the deploy that
/// was running; the deploy runs again under that id, so it takes its own lease over at once.
/// Every step is idempotent: hosts that hold the release skip the upload, a switch to the
/// release `current` already points at changes nothing, and activate and health run again.
public struct DeployResume: Sendable {
    public let request: DeployRequest

    public init(_ request: DeployRequest) {
        self.request = request
    }

    /// `admission`: the promotion policy's check, asked again (see `Deployment.run`).
    public func run(events: @escaping DeployEventSink, stop: StopRequest = StopRequest(),
                    admission: PromotionAdmission? = nil) async throws(RolloutError) -> DeployReport {
        let locks = Mutex([[String: String]]())
        _ = try await FleetStatus(PlaybookRequest(connection: request.connection, playbook: request.playbook)).run { event in
            if case .hostStatus(let status) = event, let lock = status.lock, lock["deploy"] != nil {
                locks.withLock { $0.append(lock) }
            }
        }
        let deploys = locks.withLock { $0 }.filter { $0["deploy"]?.hasPrefix("d-") == true }
        let interrupted = Set(deploys.compactMap { $0["deploy"] })
        guard interrupted.count <= 1 else {
            throw .usage("hosts are locked by several deploys (\(interrupted.sorted().joined(separator: ", "))); resolve with `cutover status` and `cutover unlock`")
        }
        // Resuming reuses the deploy id, so its lease would be ours: never while that deploy runs.
        if let live = deploys.compactMap(LeaseHolder.init(lock:)).first(where: \.isAliveOnThisMachine) {
            throw .usage("\(live.deploy) is still running here (pid \(live.pid)): wait for it, or stop it, before resuming")
        }
        var resumed = request
        resumed.resumeDeployID = interrupted.first
        resumed.resumeRelease = deploys.compactMap { $0["release"] }.first
        resumed.resuming = true
        // No --artifact: the interrupted deploy's own, found by the sha256 its lease recorded.
        if request.artifact == nil, request.store.release == nil, let leased = deploys.lazy.compactMap(LeaseArtifact.init(lock:)).first {
            let playbookArtifact: String?
            do {
                playbookArtifact = try PlaybookLoader.load(request.playbook).artifactPath
            } catch {
                throw .configuration(error)
            }
            resumed.artifact = try ResumeArtifact(leased: leased).find(playbookArtifact: playbookArtifact)
            if resumed.version == nil { resumed.version = leased.release.version }
        }
        return try await Deployment(resumed).run(events: events, stop: stop, admission: admission)
    }
}
