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

    /// The names of the hosts a rollback with these settings would touch; nil when the
    /// inventory does not load (the rollback itself then says why).
    public static func hostNames(_ settings: ConnectionSettings) -> [String]? {
        (try? FleetSelection(settings))?.hosts.map(\.name)
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
        var target = request.target
        let playbook = operation.playbook
        let policy = operation.policy
        let deployID = operation.deployID
        let results = ResultLog()
        events(.started(DeployStart(operation: .rollback, deployID: deployID, app: playbook.app)))
        // First every host's state and lease, then the decisions, which depend on the fleet.
        // A host still connecting once the others answered (black-holed, say) is not waited
        // for: it joins when it answers, with the decisions made from the others.
        let round = await LeaseOrder.take(operation.workers, parallel: policy.parallel, connector: operation.connector, patience: true) { worker in
            await worker.takeLease(owner: owner, lockWait: lockWait, needsTar: false)
        }
        var read: [String: HostState] = [:]
        for worker in operation.workers {
            if await worker.healthy, let state = await worker.state { read[worker.name] = state }
        }
        let states = read
        var why = target.map { "rollback to \($0) asked for" } ?? "rollback to each host's previous release asked for"
        if let ledgerTarget = target, let landed = request.ledgerCurrent,
           let stray = states.sorted(by: { $0.key < $1.key }).first(where: { $0.value.current != nil && $0.value.current != landed && $0.value.current != ledgerTarget }) {
            // The ledger is behind the fleet: going to its known-good release would take the
            // hosts still on `landed` two releases back.
            target = landed
            why = "rollback to \(landed): \(stray.key) runs \(stray.value.current ?? ""), which the ledger never saw land (so not \(ledgerTarget))"
        }
        events(.rollbackStarted(reason: why, hosts: operation.workers.map(\.name)))
        let destinationTarget = target
        let unfinished = destinationTarget == nil ? Self.unfinishedRollbacks(states, unknown: states.count < operation.workers.count) : []
        let rollBackHost: @Sendable (HostDeployment) async -> Void = { worker in
            let read = await worker.state
            guard await worker.healthy, let state = states[worker.name] ?? read else {
                let unreachable = await worker.unreachable
                let holder = await worker.lockHolder
                let failure = await worker.failure
                results.set(worker.name, DeployReport.HostResult(
                    host: worker.name, release: nil, state: unreachable ? .unreachable : .failed,
                    detail: holder.map { "locked by \($0)" } ?? failure))
                return
            }
            // A host an earlier rollback already switched back, while that rollback did not
            // finish everywhere, stays where it is: its on_rollback and checks run again there,
            // so running `rollback` twice never takes it back two releases.
            let finishing = destinationTarget.map { $0 == state.current && state.isRollbackUnverified }
                ?? state.rolledBackFrom.map(unfinished.contains) ?? false
            guard let destination = destinationTarget ?? (finishing ? state.current : state.previous) else {
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
                results.set(worker.name, .init(host: worker.name, release: destination, state: .rolledBack,
                                               detail: finishing ? "stays on \(destination): finished the rollback from \(state.rolledBackFrom ?? "its release") (--to goes further)" : nil))
            }
        }
        let late = Set(round.late.map(\.name))
        await HostFanOut<HostDeployment, Void>(parallel: policy.parallel).run(operation.workers.filter { !late.contains($0.name) },
                                                                             work: rollBackHost, onResult: { _ in })
        await round.joinLate(rollBackHost)
        await operation.close()
        let hosts = operation.workers.compactMap { results.get($0.name) }
        events(.rollbackFinished(hosts: hosts.filter { $0.state == .rolledBack || $0.state == .rollbackFailed }.map(\.host),
                                 failed: hosts.filter { $0.state == .rollbackFailed }.map(\.host)))
        var report = DeployReport(outcome: .promoted, deployID: deployID, release: destinationTarget, reason: nil, hosts: hosts, duration: .now - start)
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

    /// The releases an earlier rollback went back from without finishing everywhere: a host
    /// still runs one (not rolled back), a host's rollback hook or checks never passed, or a
    /// host could not be read and might be either. Hosts that rollback already took back stay
    /// (and are verified again); the rest follow them. When every host is back and verified, a
    /// new `cutover rollback` goes one release further, as asked.
    static func unfinishedRollbacks(_ states: [String: HostState], unknown: Bool) -> Set<String> {
        let left = Set(states.values.compactMap(\.rolledBackFrom))
        if unknown { return left }
        let running = states.values.filter { !$0.isRolledBack }.compactMap(\.current)
        let unverified = states.values.filter(\.isRollbackUnverified).compactMap(\.rolledBackFrom)
        return left.intersection(running + unverified)
    }
}
