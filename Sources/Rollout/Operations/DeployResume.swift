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

    public func run(events: @escaping DeployEventSink, stop: StopRequest = StopRequest()) async throws(RolloutError) -> DeployReport {
        let locks = Mutex([String]())
        _ = try await FleetStatus(PlaybookRequest(connection: request.connection, playbook: request.playbook)).run { event in
            if case .hostStatus(let status) = event, let id = status.lock?["deploy"] {
                locks.withLock { $0.append(id) }
            }
        }
        let interrupted = Set(locks.withLock { $0 }.filter { $0.hasPrefix("d-") })
        guard interrupted.count <= 1 else {
            throw .usage("hosts are locked by several deploys (\(interrupted.sorted().joined(separator: ", "))); resolve with `cutover status` and `cutover unlock`")
        }
        var resumed = request
        resumed.resumeDeployID = interrupted.first
        return try await Deployment(resumed).run(events: events, stop: stop)
    }
}
