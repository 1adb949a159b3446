import Release

/// `cutover resume`: continues an interrupted deploy. The hosts' locks name the deploy that
/// was running; the deploy runs again under that id, so it takes its own lease over at once.
/// Every step is idempotent: hosts that hold the release skip the upload, a switch to the
/// release `current` already points at changes nothing, and activate and health run again.
///
/// Each host is connected to once: the locks are read (``LeaseScan``) on the connection the
/// resumed deploy then uses.
public struct DeployResume: Sendable {
    public let request: DeployRequest

    public init(_ request: DeployRequest) {
        self.request = request
    }

    /// `admission`: the promotion policy's check, asked again (see `Deployment.run`).
    public func run(events: @escaping DeployEventSink, stop: StopRequest = StopRequest(),
                    admission: PromotionAdmission? = nil) async throws(RolloutError) -> DeployReport {
        let playbook: Playbook
        do {
            playbook = try PlaybookLoader.load(request.playbook, snapshot: request.connection.playbookSnapshot)
            // A mistake in the rollback policy is reported before any host is contacted.
            _ = try PlaybookLoader.rollbackPolicy(for: playbook, snapshot: request.connection.playbookSnapshot)
        } catch {
            throw .configuration(error)
        }
        let selection = try await FleetSelection.load(request.connection)
        let connector = HostConnector(inventory: selection.inventory, hosts: selection.hosts, settings: request.connection)
        do throws(RolloutError) {
            let parallel = request.parallel ?? request.connection.chosenParallel ?? playbook.parallel
            let locks = await LeaseScan(connector: connector, layout: HostLayout(root: playbook.deployRoot), parallel: parallel)
                .locks(of: selection.hosts)
            let resumed = try resumedRequest(locks: locks, playbook: playbook)
            let report = try await Deployment(resumed).run(events: events, stop: stop, admission: admission) { _ in
                SSHHosts(connector: connector)
            }
            await connector.close()
            return report
        } catch {
            // Refused before the deploy took the connections: close them.
            await connector.close()
            throw error
        }
    }

    /// The request to run again: the interrupted deploy's id and release, and (without
    /// `--artifact`) its artifact. Refused while several deploys hold leases, or while the
    /// interrupted deploy still runs on this machine.
    private func resumedRequest(locks: [[String: String]], playbook: Playbook) throws(RolloutError) -> DeployRequest {
        let deploys = locks.filter { $0["deploy"]?.hasPrefix("d-") == true }
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
            resumed.artifact = try ResumeArtifact(leased: leased).find(playbookArtifact: playbook.artifactPath)
            if resumed.version == nil { resumed.version = leased.release.version }
        }
        return resumed
    }
}
