import Fleet
import Release

/// `cutover rollback`: every selected host back to the release before its current one (from
/// its journal), or to `--to`, in parallel, with the policy's checks. Hosts that are down are
/// reported; the others still go back.
public struct FleetRollback: Sendable {
    public let request: RollbackRequest

    public init(_ request: RollbackRequest) {
        self.request = request
    }

    public func run(events: @escaping DeployEventSink) async throws(RolloutError) -> DeployReport {
        let start = ContinuousClock.now
        if let target = request.target, !ReleaseID.isValid(target) {
            throw .usage("'\(target)' is not a release id (version-sha256prefix, as `cutover status` shows)")
        }
        let operation = try FleetOperation(playbook: request.playbook, connection: request.connection,
                                           deployID: "r-" + DeployPreparation.newDeployID().dropFirst(2), events: events)
        let owner = DeployPreparation.owner
        let lockWait = request.lockWait
        let target = request.target
        let playbook = operation.playbook
        let policy = operation.policy
        let deployID = operation.deployID
        let results = ResultLog()
        events(.started(DeployStart(operation: .rollback, deployID: deployID, app: playbook.app)))
        events(.rollbackStarted(reason: target.map { "rollback to \($0) asked for" } ?? "rollback to each host's previous release asked for",
                                hosts: operation.workers.map(\.name)))
        await operation.forEach(parallel: policy.parallel) { worker in
            await worker.preflight(connector: operation.connector, owner: owner, lockWait: lockWait, needsTar: false)
            guard await worker.healthy, let state = await worker.state else {
                let unreachable = await worker.unreachable
                let holder = await worker.lockHolder
                let failure = await worker.failure
                results.set(worker.name, DeployReport.HostResult(
                    host: worker.name, release: nil, state: unreachable ? .unreachable : .failed,
                    detail: holder.map { "locked by \($0)" } ?? failure))
                return
            }
            // A host an earlier rollback already switched back (a deploy's rollback that did not
            // finish everywhere) stays where it is: its on_rollback and checks run again there,
            // so running `rollback` twice never goes back two releases.
            let finishing = target == nil && state.isRolledBack
            guard let destination = target ?? (finishing ? state.current : state.previous) else {
                results.set(worker.name, .init(host: worker.name, release: state.current, state: .unchanged,
                                               detail: "no earlier release to go back to"))
                return
            }
            if destination == state.current && !finishing {
                results.set(worker.name, .init(host: worker.name, release: destination, state: .unchanged, detail: "already on \(destination)"))
                return
            }
            if !state.releases.contains(destination) {
                results.set(worker.name, .init(host: worker.name, release: state.current, state: .unchanged,
                                               detail: "release \(destination) is not on this host"))
                return
            }
            let values = Deployment.templateValues(worker.host)
            if let reason = await worker.rollBack(to: destination, playbook: playbook, policy: policy, deployID: deployID, vars: values) {
                results.set(worker.name, .init(host: worker.name, release: nil, state: .rollbackFailed, detail: reason))
            } else {
                results.set(worker.name, .init(host: worker.name, release: destination, state: .rolledBack, detail: nil))
            }
        }
        await operation.close()
        let hosts = operation.workers.compactMap { results.get($0.name) }
        events(.rollbackFinished(hosts: hosts.filter { $0.state == .rolledBack || $0.state == .rollbackFailed }.map(\.host),
                                 failed: hosts.filter { $0.state == .rollbackFailed }.map(\.host)))
        var report = DeployReport(outcome: .promoted, deployID: deployID, release: target, reason: nil, hosts: hosts, duration: .now - start)
        let locked = hosts.filter { $0.detail?.hasPrefix("locked by") == true }
        if !locked.isEmpty {
            report.outcome = .lockHeld
            report.reason = locked.map { "\($0.host): \($0.detail ?? "")" }.joined(separator: "; ")
        } else if hosts.contains(where: { $0.state == .rollbackFailed || $0.state == .failed }) {
            report.outcome = .notConverged
            report.reason = "the rollback could not finish on " + hosts.filter { $0.state == .rollbackFailed || $0.state == .failed }.map(\.host).joined(separator: ", ")
        } else if !hosts.contains(where: { $0.state == .rolledBack }) && !hosts.contains(where: { $0.detail?.hasPrefix("already on") == true }) {
            report.outcome = .partial
            report.reason = "nothing was rolled back: " + Set(hosts.compactMap(\.detail)).sorted().joined(separator: "; ")
        } else if hosts.contains(where: { $0.state == .unreachable }) {
            report.outcome = .partial
            report.reason = "unreachable: " + hosts.filter { $0.state == .unreachable }.map(\.host).joined(separator: ", ") + " (the others were rolled back)"
        }
        events(.finished(report))
        return report
    }
}
