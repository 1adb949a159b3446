import Analysis
import Fleet
import Release
import Transport

/// `cutover deploy`: push one artifact to every selected host, then switch wave by wave with
/// health checks, rolling back as the policy says. Every host ends on the new release or on
/// the one it had before.
public struct Deployment: Sendable {
    public let request: DeployRequest

    public init(_ request: DeployRequest) {
        self.request = request
    }

    /// The plan only: loads and validates everything, touches no host.
    public func plan() throws(RolloutError) -> DeployPlan {
        try prepare().plan
    }

    private func prepare() throws(RolloutError) -> DeployPreparation {
        var connection = request.connection
        if let parallel = request.parallel { connection.parallel = parallel }
        return try DeployPreparation(
            playbook: request.playbook, artifact: request.artifact, version: request.version,
            connection: connection, deployID: request.resumeDeployID ?? DeployPreparation.newDeployID(),
            strategy: request.strategy)
    }

    /// Runs the deploy. `stop` asks for a graceful stop between phases and waves (outcome
    /// `interrupted`); cancelling the task stops at once.
    public func run(events: @escaping DeployEventSink, stop: StopRequest = StopRequest()) async throws(RolloutError) -> DeployReport {
        let start = ContinuousClock.now
        let prepared = try prepare()
        if let id = request.resumeDeployID, let expected = request.resumeRelease, expected != prepared.release.description {
            throw .usage("\(id) was deploying \(expected), not \(prepared.release) (this artifact): resume it with the same artifact, or `cutover unlock` and deploy this one")
        }
        let plan = prepared.plan
        let playbook = prepared.playbook
        events(.started(DeployStart(operation: request.resumeDeployID == nil ? .deploy : .resume, deployID: plan.deployID, app: plan.app)))
        events(.planned(plan))

        let hosts = prepared.selection.hosts
        let connector = HostConnector(inventory: prepared.selection.inventory, hosts: hosts, settings: prepared.settings)
        let layout = HostLayout(root: playbook.deployRoot)
        let workers = hosts.map {
            HostDeployment(host: $0, scripts: RemoteScripts(layout: layout, deploy: plan.deployID), slotPorts: playbook.slots, events: events)
        }
        let byName = Dictionary(uniqueKeysWithValues: zip(hosts.map(\.name), workers))
        let fanOut = HostFanOut<HostDeployment, Void>(parallel: prepared.settings.parallel)
        let owner = DeployPreparation.owner
        let release = prepared.release.description
        var report = DeployReport(outcome: .promoted, deployID: plan.deployID, release: release, reason: nil, hosts: [], duration: .zero)

        // Preflight and push: nothing that serves traffic changes yet.
        let lockWait = request.lockWait
        await LeaseOrder.take(workers, parallel: prepared.settings.parallel) {
            await $0.preflight(connector: connector, owner: owner, lockWait: lockWait, needsTar: true, release: release)
        }
        var locked: [String] = []
        for worker in workers { if let holder = await worker.lockHolder { locked.append("\(worker.name): \(holder)") } }
        if !locked.isEmpty {
            report.outcome = .lockHeld
            report.reason = "the deploy lease is held: " + locked.joined(separator: "; ")
            return await finish(report, workers: workers, connector: connector, start: start, events: events)
        }
        let keeper = LeaseKeeper(workers, parallel: prepared.settings.parallel)
        defer { keeper.stop() }
        if stop.isRequested {
            report.outcome = .interrupted
            report.reason = "stopped before anything was pushed"
            return await finish(report, workers: workers, connector: connector, start: start, events: events)
        }
        let blueGreen = prepared.blueGreen != nil
        if !blueGreen { for worker in workers { await worker.refuseIfSlotted() } }
        let artifact = prepared.artifact
        await fanOut.run(workers, work: { await $0.push(artifact: artifact, release: release, playbook: playbook) }, onResult: { _ in })
        var failed = await failedNames(workers)
        if !playbook.maxFailures.allows(failed: failed.count, of: hosts.count) {
            report.outcome = .partial
            report.reason = "\(failed.count) of \(hosts.count) hosts failed before switching (budget \(plan.maxFailures)); nothing was switched"
            return await finish(report, workers: workers, connector: connector, start: start, events: events)
        }
        if blueGreen {
            // Blue/green: every idle slot started and healthy before any traffic moves.
            await fanOut.run(workers, work: { _ = await $0.stage(release: release, playbook: playbook, deployID: plan.deployID) }, onResult: { _ in })
            failed = await failedNames(workers)
            if !playbook.maxFailures.allows(failed: failed.count, of: hosts.count) {
                report.outcome = .partial
                report.reason = "the idle slot did not start or is not healthy on \(failed.joined(separator: ", ")) (budget \(plan.maxFailures)); traffic was not moved on any host"
                return await finish(report, workers: workers, connector: connector, start: start, events: events)
            }
        }

        // Waves.
        var touched: [HostDeployment] = []
        for (index, wave) in plan.waves.enumerated() {
            if stop.isRequested || Task.isCancelled {
                report.outcome = .interrupted
                report.reason = "stopped before wave \(index + 1) of \(plan.waves.count); every host is on the new release or on the one it had"
                break
            }
            let members = wave.compactMap { byName[$0] }
            var active: [HostDeployment] = []
            for member in members where await member.healthy { active.append(member) }
            events(.waveStarted(index: index + 1, count: plan.waves.count, hosts: active.map(\.name)))
            let triggers = TriggerLog()
            await fanOut.run(active, work: { worker in
                let trigger = blueGreen
                    ? await worker.switchSlot(release: release, playbook: playbook, deployID: plan.deployID)
                    : await worker.activate(release: release, playbook: playbook, deployID: plan.deployID, vars: Self.templateValues(worker.host))
                if let trigger { triggers.record(worker.name, trigger) }
            }, onResult: { _ in })
            for member in active where await member.switched { touched.append(member) }
            if triggers.all.isEmpty, let step = prepared.canarySteps[index], let bake = step.bake {
                let kpis = playbook.kpis.filter { step.analysis?.contains($0.name) ?? true }
                if !kpis.isEmpty {
                    var canary: [HostDeployment] = []
                    for member in touched where await member.healthy { canary.append(member) }
                    let baseline = await Self.baseline(for: canary, from: workers)
                    let judgement = await CanaryAnalysis(kpis: kpis, bake: bake, wave: index + 1, events: events).run(canary: canary, baseline: baseline, stop: stop)
                    events(.analysis(CanaryVerdictReport(
                        wave: index + 1, canary: canary.map(\.name), baseline: baseline.map(\.name),
                        verdict: judgement.verdict.rawValue, score: judgement.score, reason: judgement.reason,
                        kpis: judgement.kpis.map { verdict in .init(verdict, rule: kpis.first { $0.name == verdict.name }?.rule) })))
                    var failedVerdict = judgement.verdict == .fail
                    if judgement.verdict == .inconclusive {
                        switch prepared.policy.inconclusive {
                        case .rollback: failedVerdict = true
                        case .promote: break
                        case .pause:
                            let pause = ManualPause(timeout: step.pause?.timeout ?? .seconds(3600), onTimeout: .abort)
                            let answer = await Self.waitForAnswer(pause, wave: index + 1, deployID: plan.deployID, hosts: touched,
                                                                  marking: workers, stop: stop, events: events)
                            failedVerdict = answer.action == .abort
                        }
                    }
                    if failedVerdict {
                        // The canary as a whole is judged: every host of this wave counts as failed by KPI.
                        for member in active { triggers.record(member.name, .kpi); await member.markFailed("kpi: \(judgement.reason)") }
                    }
                }
            }
            if triggers.all.isEmpty, let pause = prepared.canarySteps[index]?.pause, index < plan.waves.count - 1 {
                let answer = await Self.waitForAnswer(pause, wave: index + 1, deployID: plan.deployID, hosts: touched, marking: workers,
                                                      stop: stop, events: events)
                if answer.action == .abort {
                    let reason = "wave \(index + 1): aborted by \(answer.by)"
                    events(.rollbackStarted(reason: reason, hosts: touched.map(\.name)))
                    let verified = await rollBack(touched, prepared: prepared, deployID: plan.deployID, events: events)
                    for worker in touched { await worker.markFailed("rolled back (\(reason))") }
                    report.outcome = verified ? .rolledBack : .notConverged
                    report.reason = reason
                    break
                }
            }
            failed = await failedNames(workers)
            let waveFailures = triggers.all
            guard !waveFailures.isEmpty else { continue }

            let withinBudget = playbook.maxFailures.allows(failed: failed.count, of: hosts.count)
            let rollbackHosts: [HostDeployment]
            if withinBudget {
                // Tolerated failures: put each failed host back on its previous release, go on.
                rollbackHosts = active.filter { waveFailures[$0.name].map(prepared.policy.triggers.contains) ?? false }
            } else {
                switch prepared.policy.scope {
                case .host: rollbackHosts = active.filter { waveFailures[$0.name] != nil }
                case .wave: rollbackHosts = active
                case .all:
                    // Every host this run switched, and those of this wave whose switch may have
                    // happened (its answer was lost) and that had a release to go back to.
                    var unsure: [HostDeployment] = []
                    for member in active {
                        let attempted = await member.switchAttempted, switched = await member.switched
                        if attempted && !switched, await member.state?.current != nil { unsure.append(member) }
                    }
                    rollbackHosts = touched + unsure
                }
                guard waveFailures.values.contains(where: prepared.policy.triggers.contains) else {
                    report.outcome = .partial
                    report.reason = "wave \(index + 1) failed on \(waveFailures.keys.sorted().joined(separator: ", ")); the policy does not roll back these failures"
                    break
                }
            }
            if !rollbackHosts.isEmpty {
                let reason = "wave \(index + 1): " + waveFailures.keys.sorted().map { "\($0) failed \(waveFailures[$0]!.rawValue)" }.joined(separator: ", ")
                events(.rollbackStarted(reason: reason, hosts: rollbackHosts.map(\.name)))
                let verified = await rollBack(rollbackHosts, prepared: prepared, deployID: plan.deployID, events: events)
                for worker in rollbackHosts { await worker.markFailed("rolled back (\(reason))") }
                if !withinBudget {
                    report.outcome = verified ? .rolledBack : .notConverged
                    report.reason = "\(reason); failures exceed the budget of \(plan.maxFailures), rolled back \(rollbackHosts.count) host\(rollbackHosts.count == 1 ? "" : "s") (scope \(prepared.policy.scope.rawValue))"
                    break
                }
                if !verified {
                    report.outcome = .notConverged
                    report.reason = "\(reason); the rollback could not finish on every host"
                    break
                }
            } else if !withinBudget {
                break
            }
        }
        if report.outcome == .promoted {
            failed = await failedNames(workers)
            if !failed.isEmpty {
                report.outcome = .partial
                report.reason = "\(failed.count) of \(hosts.count) hosts failed (within the budget of \(plan.maxFailures)): \(failed.joined(separator: ", "))"
            }
            for worker in workers { await worker.prune(keep: playbook.keepReleases, release: release) }
        }
        return await finish(report, workers: workers, connector: connector, start: start, events: events)
    }

    /// Rolls hosts back in parallel (the policy's parallelism); true when every one is verified.
    private func rollBack(_ hosts: [HostDeployment], prepared: DeployPreparation, deployID: String, events: DeployEventSink) async -> Bool {
        let playbook = prepared.playbook
        let policy = prepared.policy
        let results = TriggerLog()
        await HostFanOut<HostDeployment, Void>(parallel: policy.parallel).run(hosts, work: { worker in
            if let reason = await worker.rollBack(to: nil, playbook: playbook, policy: policy, deployID: deployID, vars: Self.templateValues(worker.host)) {
                results.note(worker.name, reason)
            }
        }, onResult: { _ in })
        for worker in hosts {
            if let reason = results.notes[worker.name] { await worker.markRollbackFailed(reason) }
        }
        events(.rollbackFinished(hosts: hosts.map(\.name), failed: hosts.map(\.name).filter { results.notes[$0] != nil }))
        return results.notes.isEmpty
    }

    private func finish(_ report: DeployReport, workers: [HostDeployment], connector: HostConnector,
                        start: ContinuousClock.Instant, events: DeployEventSink) async -> DeployReport {
        var report = report
        // Leases are released even when the run was cancelled (a second Ctrl-C): a new task
        // does not inherit the cancellation.
        await Task { await HostFanOut<HostDeployment, Void>(parallel: 50).run(workers, work: { await $0.finish() }, onResult: { _ in }) }.value
        await connector.close()
        for worker in workers { report.hosts.append(await worker.result(release: report.release)) }
        // A host lost at the very end keeps the lease and may not run what it was told: the
        // deploy did not fully succeed, and the summary says where.
        let lost = report.hosts.filter { $0.state == .unreachable }.map(\.host)
        if report.outcome == .promoted && !lost.isEmpty {
            report.outcome = .partial
            report.reason = "unreachable at the end, the lease is still held: \(lost.joined(separator: ", ")) (`cutover status` then `cutover resume` once back)"
        }
        report.duration = .now - start
        events(.finished(report))
        return report
    }

    private func failedNames(_ workers: [HostDeployment]) async -> [String] {
        var names: [String] = []
        for worker in workers where !(await worker.healthy) { names.append(worker.name) }
        return names
    }

    /// Waits for `cutover promote`/`abort` (the decision file on the canary hosts names this
    /// deploy), a stop request, or the pause's timeout and its default action. The hosts of
    /// `marking` say the deploy is paused while it waits: only then is an answer taken.
    static func waitForAnswer(_ pause: ManualPause, wave: Int, deployID: String, hosts: [HostDeployment], marking: [HostDeployment],
                              stop: StopRequest, events: DeployEventSink) async -> (action: ManualPause.Action, by: String) {
        await HostFanOut<HostDeployment, Void>(parallel: 50).run(marking, work: { await $0.setPaused(true) }, onResult: { _ in })
        let answer = await answer(pause, wave: wave, deployID: deployID, hosts: hosts, stop: stop, events: events)
        await Task { await HostFanOut<HostDeployment, Void>(parallel: 50).run(marking, work: { await $0.setPaused(false) }, onResult: { _ in }) }.value
        return answer
    }

    private static func answer(_ pause: ManualPause, wave: Int, deployID: String, hosts: [HostDeployment],
                               stop: StopRequest, events: DeployEventSink) async -> (action: ManualPause.Action, by: String) {
        events(.paused(wave: wave, timeout: pause.timeout, onTimeout: pause.onTimeout.rawValue))
        let deadline = ContinuousClock.now + pause.timeout
        while ContinuousClock.now < deadline {
            if stop.isRequested || Task.isCancelled {
                events(.pauseAnswered(action: "abort", by: "Ctrl-C"))
                return (.abort, "Ctrl-C")
            }
            // Several hosts of the wave (up to 5): `promote` writes to all it reaches, and one
            // of them may not have taken the paused mark (or be gone).
            for host in hosts.prefix(5) {
                if let decision = await host.readDecision(), decision["deploy"] == deployID,
                   let action = decision["action"].flatMap(ManualPause.Action.init(rawValue:)) {
                    let by = decision["by"] ?? "someone"
                    events(.pauseAnswered(action: action.rawValue, by: by))
                    return (action, by)
                }
            }
            try? await Task.sleep(for: .seconds(1))
        }
        events(.pauseAnswered(action: pause.onTimeout.rawValue, by: "timeout after \(Int(pause.timeout.components.seconds))s"))
        return (pause.onTimeout, "timeout")
    }

    /// Hosts still on the old release to compare the canary with: as many as the canary, from
    /// the same zones where possible.
    static func baseline(for canary: [HostDeployment], from workers: [HostDeployment]) async -> [HostDeployment] {
        var candidates: [HostDeployment] = []
        for worker in workers {
            let switched = await worker.switched
            let healthy = await worker.healthy
            if !switched && healthy { candidates.append(worker) }
        }
        var chosen: [HostDeployment] = []
        for host in canary {
            let zone = host.host.labels["zone"]
            if let index = candidates.firstIndex(where: { $0.host.labels["zone"] == zone }) ?? candidates.indices.first {
                chosen.append(candidates.remove(at: index))
            }
        }
        return chosen
    }

    static func templateValues(_ host: Fleet.Host) -> TemplateValues {
        TemplateValues(host: host.name, address: host.address, vars: host.vars.mapValues(\.description))
    }
}
