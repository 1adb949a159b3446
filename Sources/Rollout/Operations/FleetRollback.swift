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
    public static func hostNames(_ settings: ConnectionSettings) async -> [String]? {
        (try? await FleetSelection.load(settings))?.hosts.map(\.name)
    }

    public func run(events: @escaping DeployEventSink) async throws(RolloutError) -> DeployReport {
        let start = ContinuousClock.now
        // `--to`: a release id, else a version (resolved once the hosts were read).
        var target: ReleaseID?, askedVersion: String?
        if let asked = request.target {
            if let release = ReleaseID(validating: asked) {
                target = release
            } else if VersionName.isValid(asked) {
                askedVersion = asked
            } else {
                throw .usage("'\(asked)' is neither a release id (version-sha256prefix, as `cutover status` shows) nor a version")
            }
        }
        let operation = try await FleetOperation(playbook: request.playbook, connection: request.connection,
                                           id: .run("r-" + DeployPreparation.newDeployID().dropFirst(2)), events: events)
        let owner = DeployPreparation.owner
        // One wait for every host, however late a host joins.
        let deadline = ContinuousClock.now + request.lockWait
        let playbook = operation.playbook
        let policy = operation.policy
        let deployID = operation.deployID
        let results = ResultLog()
        events(.started(DeployStart(operation: .rollback, deployID: deployID, app: playbook.app)))
        // First every host's state and lease, then the decisions, which depend on the fleet.
        // A host still connecting once the others answered (black-holed, say) is not waited
        // for: it joins when it answers, with the decisions made from the others.
        let round = await LeaseOrder.take(operation.workers, parallel: policy.parallel, patience: true) { worker in
            await worker.takeLease(owner: owner, lockWait: max(.zero, deadline - .now), needsTar: false)
        }
        var read: [String: HostState] = [:]
        for worker in operation.workers {
            if await worker.healthy, let state = await worker.state { read[worker.name] = state }
        }
        let states = read
        if let askedVersion {
            switch Self.releases(ofVersion: askedVersion, on: states) {
            case .success(let release):
                target = release
            case .failure(let error):
                await operation.close()
                throw error
            }
        }
        var why = request.targetReason ?? target.map { "rollback to \($0) asked for" } ?? "rollback to each host's previous release asked for"
        // The ledger's release that landed last: read from the local ledger, a release id or nothing.
        if let ledgerTarget = target, let landed = request.ledgerCurrent.flatMap(ReleaseID.init(validating:)),
           let stray = states.sorted(by: { $0.key < $1.key }).first(where: { $0.value.current != nil && $0.value.current != landed && $0.value.current != ledgerTarget }) {
            // The ledger is behind the fleet: going to its known-good release would take the
            // hosts still on `landed` two releases back.
            target = landed
            why = "rollback to \(landed): \(stray.key) runs \(stray.value.current?.description ?? ""), which the ledger never saw land (so not \(ledgerTarget))"
        }
        events(.rollbackStarted(reason: why, hosts: operation.workers.map(\.name)))
        let destinationTarget = target
        // Where an earlier rollback (or a deploy's own) took hosts back to: those hosts, and any
        // other already on that release, stay; so running `rollback` twice never goes two back.
        let settled = RollbackChoice.settled(states.values)
        let rollBackHost: @Sendable (HostDeployment) async -> Void = { worker in
            let read = await worker.state
            guard await worker.healthy, let state = states[worker.name] ?? read else {
                let unreachable = await worker.unreachable
                let holder = await worker.lockHolder
                let failure = await worker.failure
                results.set(worker.name, DeployReport.HostResult(
                    host: worker.name, release: nil, state: unreachable ? .unreachable : .failed,
                    detail: holder.map { "locked by \($0)" } ?? failure, cause: holder.map(HostResultCause.lockedBy)))
                return
            }
            let destination: ReleaseID, finishing: Bool
            switch RollbackChoice(state: state, target: destinationTarget, settled: settled) {
            case .nowhere:
                return results.set(worker.name, .init(host: worker.name, release: state.current?.description, state: .unchanged,
                                                      detail: "no earlier release to go back to"))
            case .alreadyOn(let release, let from):
                return results.set(worker.name, .init(host: worker.name, release: release.description, state: .unchanged,
                                                      detail: "already on \(release)\(from.map { ", rolled back from \($0)" } ?? "")",
                                                      cause: .alreadyOn(release.description)))
            case .missing(let release):
                return results.set(worker.name, .init(host: worker.name, release: state.current?.description, state: .unchanged,
                                                      detail: "release \(release) is not on this host"))
            case .rollBack(let release, let unfinished):
                (destination, finishing) = (release, unfinished)
            }
            if let reason = await worker.rollBack(to: destination, finishing: true) {
                results.set(worker.name, .init(host: worker.name, release: nil, state: .rollbackFailed, detail: reason))
            } else {
                results.set(worker.name, .init(host: worker.name, release: destination.description, state: .rolledBack,
                                               detail: finishing ? "stays on \(destination): finished the rollback from \(state.rolledBackFrom?.description ?? "its release")" : nil))
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
        var report = DeployReport(outcome: .promoted, deployID: deployID, release: destinationTarget?.description, reason: nil, hosts: hosts, duration: .now - start)
        let locked = hosts.filter { if case .lockedBy = $0.cause { true } else { false } }
        if !locked.isEmpty {
            report.outcome = .lockHeld
            report.reason = locked.map { "\($0.host): \($0.detail ?? "")" }.joined(separator: "; ")
        } else if hosts.contains(where: { $0.state == .rollbackFailed || $0.state == .failed }) {
            report.outcome = .notConverged
            report.reason = "the rollback could not finish on " + hosts.filter { $0.state == .rollbackFailed || $0.state == .failed }.map(\.host).joined(separator: ", ")
        } else if !hosts.contains(where: { $0.state == .rolledBack }) && !hosts.contains(where: { if case .alreadyOn = $0.cause { true } else { false } }) {
            report.outcome = .partial
            report.reason = "nothing was rolled back: " + Set(hosts.compactMap(\.detail)).sorted().joined(separator: "; ")
        } else if !hosts.isEmpty, hosts.allSatisfy({ $0.state == .unchanged }) {
            let releases = Set(hosts.compactMap(\.release)).sorted()
            report.reason = "nothing to do: every host is already on \(releases.joined(separator: ", ")) (--to RELEASE goes further back)"
        } else if hosts.contains(where: { $0.state == .unreachable }) {
            report.outcome = .partial
            report.reason = "unreachable: " + hosts.filter { $0.state == .unreachable }.map(\.host).joined(separator: ", ") + " (the others were rolled back)"
        }
        events(.finished(report))
        return report
    }

    /// `--to VERSION`: the one release of that version on the hosts read.
    static func releases(ofVersion version: String, on states: [String: HostState]) -> Result<ReleaseID, RolloutError> {
        let found = Set(states.values.flatMap(\.releases).filter { $0.version == version })
        if found.count == 1, let release = found.first { return .success(release) }
        if found.isEmpty {
            let known = Set(states.values.flatMap(\.releases).map(\.description)).sorted()
            return .failure(.usage("no release of version \(version) on the hosts (they hold \(known.isEmpty ? "none" : known.joined(separator: ", ")))"))
        }
        return .failure(.usage("version \(version) names \(found.count) releases on the hosts (\(found.map(\.description).sorted().joined(separator: ", "))): give the release id"))
    }
}
