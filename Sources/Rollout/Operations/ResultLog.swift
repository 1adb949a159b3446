import Synchronization

/// Per-host results collected from parallel work.
final class ResultLog: Sendable {
    private let results = Mutex([String: DeployReport.HostResult]())

    func set(_ host: String, _ result: DeployReport.HostResult) { results.withLock { $0[host] = result } }
    func get(_ host: String) -> DeployReport.HostResult? { results.withLock { $0[host] } }
}
