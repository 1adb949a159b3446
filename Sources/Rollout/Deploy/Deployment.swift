import Analysis
import Foundation
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
        let prepared = try prepare()
        _ = try MigrationPlacement(prepared.playbook.hooks.migrate, selection: prepared.selection, firstWave: prepared.plan.waves.first ?? [])
        return prepared.plan
    }

    private func prepare() throws(RolloutError) -> DeployPreparation {
        var connection = request.connection
        if let parallel = request.parallel { connection.parallel = parallel }
        return try DeployPreparation(
            playbook: request.playbook, artifact: request.artifact, version: request.version,
            connection: connection, deployID: request.resumeDeployID ?? DeployPreparation.newDeployID(),
            strategy: request.strategy, store: request.store,
            distribution: request.distribution.map { ArtifactDistribution(rawValue: $0.rawValue) ?? .direct })
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
        let prepared = try prepare()
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

        let hosts = prepared.selection.hosts
        let fleet = makeHosts(prepared)
        let workers = fleet.workers(for: hosts, deployID: plan.deployID, playbook: playbook, stop: stop, events: events)
        let byName = Dictionary(uniqueKeysWithValues: zip(hosts.map(\.name), workers))
        let fanOut = HostFanOut<Worker, Void>(parallel: prepared.settings.parallel)
        let owner = DeployPreparation.owner
        let release = prepared.release.description
        var report = DeployReport(outcome: .promoted, deployID: plan.deployID, release: release, reason: nil, hosts: [], duration: .zero)

        // Preflight and push: nothing that serves traffic changes yet.
        let lockWait = request.lockWait
        let leaseArtifact = LeaseArtifact(release: prepared.release, sha256: prepared.artifact.sha256,
                                   path: URL(fileURLWithPath: prepared.artifact.path).standardizedFileURL.path)
        await LeaseOrder.take(workers, parallel: prepared.settings.parallel) {
            await $0.takeLease(owner: owner, lockWait: lockWait, needsTar: true, artifact: leaseArtifact)
        }
        var locked: [String] = []
        for worker in workers { if let holder = await worker.lockHolder { locked.append("\(worker.name): \(holder)") } }
        if !locked.isEmpty {
            report.outcome = .lockHeld
            report.reason = "the deploy lease is held: " + locked.joined(separator: "; ")
            return await finish(report, workers: workers, fleet: fleet, start: start, events: events)
        }
        let keeper = LeaseKeeper(workers, parallel: prepared.settings.parallel)
        defer { keeper.stop() }
        var leased: [Worker] = []
        for worker in workers.sorted(by: { $0.name < $1.name }) where await worker.healthy { leased.append(worker) }
        let watcher = fleet.watchAborts(on: leased, deployID: plan.deployID, stop: stop)
        func end(_ outcome: DeployOutcome, _ reason: String) async -> DeployReport {
            report.outcome = outcome
            report.reason = reason
            await watcher.stop()
            return await finish(report, workers: workers, fleet: fleet, start: start, events: events)
        }
        if let stopped = Self.stoppedBeforeSwitching(stop, "before anything was pushed") { return await end(stopped.outcome, stopped.reason) }
        let blueGreen = prepared.blueGreen != nil
        if !blueGreen { for worker in workers { await worker.refuseIfSlotted() } }
        let artifact = prepared.artifact
        // Hosts holding an earlier release get only the changed files (HostDeployment+Delta);
        // with `distribution: pull` each host first downloads the artifact itself.
        let delta = DeltaSource(artifact: artifact, shared: playbook.shared)
        let allowDelta = !request.noDelta
        let pull = prepared.pull
        let push = PushPlan(artifact: artifact, release: release, playbook: playbook, delta: delta, allowDelta: allowDelta, pull: pull)
        if prepared.distribution == .relay, let relaying = workers as? [any RelayWorker] {
            // Hosts pass the artifact on to hosts (Distribution/RelayDistribution). Workers that
            // cannot relay (simulated hosts) are pushed to.
            await RelayDistribution(settings: playbook.relay, parallel: prepared.settings.parallel, deployID: plan.deployID,
                                    layout: HostLayout(root: playbook.deployRoot)).run(relaying, push: push)
        } else {
            await fanOut.run(workers, work: { await $0.push(push) }, onResult: { _ in })
        }
        await delta.close()
        var failed = await failedNames(workers)
        if !playbook.maxFailures.allows(failed: failed.count, of: hosts.count) {
            return await end(.notSwitched, "\(failed.count) of \(hosts.count) hosts failed before switching (budget \(plan.maxFailures)): \(failed.joined(separator: ", ")); nothing was switched")
        }
        if let stopped = Self.stoppedBeforeSwitching(stop, "after the push, before any switch") { return await end(stopped.outcome, stopped.reason) }
        if let migration, let hook = playbook.hooks.migrate {
            // Once per deploy, on one host, before any host serves the new release.
            if let reason = await Self.migrate(hook, placement: migration, workers: workers, release: release, playbook: playbook, deployID: plan.deployID) {
                return await end(.notSwitched, reason)
            }
            if let stopped = Self.stoppedBeforeSwitching(stop, "after the migration, before any switch") { return await end(stopped.outcome, stopped.reason) }
        }
        if blueGreen {
            // Blue/green: every idle slot started and healthy before any traffic moves.
            let staging = TriggerLog()
            await fanOut.run(workers, work: { worker in
                if let trigger = await worker.stage(release: release, playbook: playbook, deployID: plan.deployID) { staging.record(worker.name, trigger) }
            }, onResult: { _ in })
            failed = await failedNames(workers)
            if !playbook.maxFailures.allows(failed: failed.count, of: hosts.count) {
                let why = staging.all.isEmpty ? failed.joined(separator: ", ") : staging.failures
                return await end(.notSwitched, "the idle slot did not start or is not healthy (\(why); budget \(plan.maxFailures)); traffic was not moved on any host")
            }
            if let stopped = Self.stoppedBeforeSwitching(stop, "after staging, before traffic moved") { return await end(stopped.outcome, stopped.reason) }
        }

        // Waves.
        var touched: [Worker] = []
        /// Waves `resume` found verified by the interrupted run, not run again.
        var skippedWaves: [Int] = []
        /// An abort: every host this deploy switched goes back (the policy's parallelism and checks).
        func abort(_ wave: Int, during moment: String) async {
            let by = stop.abortedBy ?? "someone"
            guard !touched.isEmpty else {
                report.outcome = .notSwitched
                report.reason = "aborted by \(by) \(moment); nothing was switched"
                return
            }
            let reason = "wave \(wave): aborted by \(by) \(moment)"
            events(.rollbackStarted(reason: reason, hosts: touched.map(\.name)))
            let verified = await rollBack(touched, prepared: prepared, deployID: plan.deployID, events: events)
            for worker in touched { await worker.markFailed("rolled back (\(reason))") }
            report.outcome = verified ? .rolledBack : .notConverged
            report.reason = "\(reason); rolled back \(touched.count) host\(touched.count == 1 ? "" : "s")" + (verified ? "" : ", not every one could be verified")
        }
        /// Ctrl-C at a pause: the wave stays as it is, like a stopped bake.
        func stoppedAtPause(_ wave: Int) {
            report.outcome = .interrupted
            report.reason = "stopped at wave \(wave)'s pause: its hosts stay on \(release) (`cutover resume` pauses there again, `cutover rollback` undoes it)"
        }
        for (index, wave) in plan.waves.enumerated() {
            if stop.isAborted {
                await abort(index + 1, during: "before wave \(index + 1)")
                break
            }
            if stop.isRequested || Task.isCancelled {
                report.outcome = .interrupted
                report.reason = "stopped before wave \(index + 1) of \(plan.waves.count); every host is on the new release or on the one it had"
                break
            }
            let members = wave.compactMap { byName[$0] }
            var active: [Worker] = []
            for member in members where await member.healthy { active.append(member) }
            events(.waveStarted(index: index + 1, count: plan.waves.count, hosts: active.map(\.name)))
            if request.resuming, !blueGreen, !active.isEmpty {
                var verified = 0
                for member in active where await member.verifiedEarlier(release: release) != nil { verified += 1 }
                if verified == active.count {
                    // Verified before the deploy stopped: not activated, checked or baked again.
                    for member in active { await member.adoptVerified(release: release, wave: index + 1) }
                    touched += active
                    skippedWaves.append(index + 1)
                    continue
                }
            }
            let triggers = TriggerLog()
            let step = prepared.canarySteps[index]
            let stableFor = step?.stableFor ?? playbook.stableFor
            await fanOut.run(active, work: { worker in
                let trigger = blueGreen
                    ? await worker.switchSlot(release: release, playbook: playbook, deployID: plan.deployID, stableFor: stableFor)
                    : await worker.activate(release: release, playbook: playbook, deployID: plan.deployID, vars: Self.templateValues(worker.host),
                                            stableFor: stableFor)
                if let trigger { triggers.record(worker.name, trigger) }
            }, onResult: { _ in })
            for member in active where await member.switched { touched.append(member) }
            if stop.isAborted {
                touched += await Self.unsure(active)
                await abort(index + 1, during: "during wave \(index + 1)")
                break
            }
            if triggers.all.isEmpty, let step, let bake = step.bake {
                let kpis = playbook.kpis.filter { step.analysis?.contains($0.name) ?? true }
                if !kpis.isEmpty {
                    var canary: [Worker] = []
                    for member in touched where await member.healthy { canary.append(member) }
                    let baseline = await Self.baseline(for: canary, from: workers)
                    let bakeOutcome = await CanaryAnalysis(kpis: kpis, bake: bake, wave: index + 1, events: events).run(canary: canary, baseline: baseline, stop: stop)
                    guard case .judged(let judgement) = bakeOutcome else {
                        if stop.isAborted {
                            await abort(index + 1, during: "during wave \(index + 1)'s bake")
                        } else {
                            // Never judged on partial data: the wave stays as it is, unjudged.
                            let after: Duration = if case .stopped(let time) = bakeOutcome { time } else { .zero }
                            report.outcome = .interrupted
                            report.reason = "stopped during wave \(index + 1)'s bake after \(HostDeployment.seconds(after)) of \(HostDeployment.seconds(bake)): "
                                + "not judged; its hosts stay on \(release) unjudged (`cutover resume` bakes the wave again, `cutover rollback` undoes it)"
                        }
                        break
                    }
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
                            guard let answer else {
                                if stop.isAborted { await abort(index + 1, during: "at wave \(index + 1)'s pause") } else { stoppedAtPause(index + 1) }
                                break
                            }
                            failedVerdict = answer.action == .abort
                        }
                    }
                    if failedVerdict {
                        // The canary as a whole is judged: every host of this wave counts as failed by KPI.
                        let failing = judgement.kpis.filter { $0.passed != true }.map(\.name)
                        let gate = failing.isEmpty ? "verdict \(judgement.verdict.rawValue)" : failing.joined(separator: ", ")
                        for member in active { triggers.record(member.name, .kpi, gate: gate); await member.markFailed("kpi: \(judgement.reason)") }
                    }
                }
            }
            if report.outcome != .promoted { break }
            if triggers.all.isEmpty, let pause = step?.pause, index < plan.waves.count - 1 {
                let answer = await Self.waitForAnswer(pause, wave: index + 1, deployID: plan.deployID, hosts: touched, marking: workers,
                                                      stop: stop, events: events)
                guard let answer else {
                    if stop.isAborted { await abort(index + 1, during: "at wave \(index + 1)'s pause") } else { stoppedAtPause(index + 1) }
                    break
                }
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
            for member in active where waveFailures[member.name] == nil {
                if await member.switched { await member.markVerified(wave: index + 1) }
            }
            guard !waveFailures.isEmpty else { continue }

            let withinBudget = playbook.maxFailures.allows(failed: failed.count, of: hosts.count)
            let rollbackHosts: [Worker]
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
                    rollbackHosts = touched + (await Self.unsure(active))
                }
                guard waveFailures.values.contains(where: prepared.policy.triggers.contains) else {
                    report.outcome = .partial
                    report.reason = "wave \(index + 1) failed on \(waveFailures.keys.sorted().joined(separator: ", ")); the policy does not roll back these failures"
                    break
                }
            }
            if !rollbackHosts.isEmpty {
                let reason = "wave \(index + 1): " + triggers.failures
                events(.rollbackStarted(reason: reason, hosts: rollbackHosts.map(\.name)))
                let verified = await rollBack(rollbackHosts, prepared: prepared, deployID: plan.deployID, events: events)
                for worker in rollbackHosts { await worker.markFailed("rolled back (\(reason))") }
                if !withinBudget {
                    report.outcome = verified ? .rolledBack : .notConverged
                    report.reason = "\(reason); failures exceed the budget of \(plan.maxFailures), rolled back \(rollbackHosts.count) host\(rollbackHosts.count == 1 ? "" : "s") (scope \(prepared.policy.scope.rawValue))"
                    if !verified, let first = await Self.firstDeployNote(rollbackHosts) {
                        report.reason! += "; " + first.note
                        report.withoutEarlierRelease = first.hosts
                    }
                    break
                }
                if !verified {
                    report.outcome = .notConverged
                    report.reason = "\(reason); the rollback could not finish on every host"
                    if let first = await Self.firstDeployNote(rollbackHosts) {
                        report.reason! += "; " + first.note
                        report.withoutEarlierRelease = first.hosts
                    }
                    break
                }
            } else if !withinBudget {
                // Failed before switching (a before_switch hook, say): nothing to roll back.
                report.outcome = touched.isEmpty ? .notSwitched : .partial
                report.reason = "wave \(index + 1): \(triggers.failures); failures exceed the budget of \(plan.maxFailures)"
                    + (touched.isEmpty ? " before any host was switched: nothing was switched" : "; none of this wave's hosts was switched")
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
        if !skippedWaves.isEmpty {
            let waves = skippedWaves.map(String.init).joined(separator: ", ")
            let note = "resumed: wave\(skippedWaves.count == 1 ? "" : "s") \(waves) passed every gate before the deploy stopped and \(skippedWaves.count == 1 ? "was" : "were") not run again"
            report.reason = report.reason.map { $0 + "; " + note } ?? note
        }
        await watcher.stop()
        return await finish(report, workers: workers, fleet: fleet, start: start, events: events)
    }

    /// A stop asked for before any host was switched: an abort ends the deploy with nothing
    /// switched, a graceful stop as interrupted; nil when no stop was asked for.
    static func stoppedBeforeSwitching(_ stop: StopRequest, _ moment: String) -> (outcome: DeployOutcome, reason: String)? {
        if let by = stop.abortedBy { return (.notSwitched, "aborted by \(by) \(moment); nothing was switched") }
        if stop.isRequested || Task.isCancelled { return (.interrupted, "stopped \(moment)") }
        return nil
    }

    /// Hosts of a wave whose switch may have happened (its answer was lost) and that had a
    /// release to go back to.
    static func unsure<Worker: HostWorker>(_ active: [Worker]) async -> [Worker] {
        var unsure: [Worker] = []
        for member in active {
            let attempted = await member.switchAttempted, switched = await member.switched
            if attempted && !switched, await member.state?.current != nil { unsure.append(member) }
        }
        return unsure
    }

    /// Says which hosts had no earlier release to go back to (a first deploy), and where they
    /// stand, so the summary suggests what can work instead of retrying the broken release.
    static func firstDeployNote<Worker: HostWorker>(_ hosts: [Worker]) async -> (note: String, hosts: [String])? {
        var first: [String] = []
        for host in hosts {
            let from = await host.switchedFrom, before = await host.state?.current
            if from == nil && before == nil { first.append(host.name) }
        }
        guard !first.isEmpty else { return nil }
        return ("\(first.joined(separator: ", ")) had no earlier release (a first deploy): \(first.count == 1 ? "it stays" : "they stay") on the failed release; fix it and deploy a new one", first)
    }

    /// Rolls hosts back in parallel (the policy's parallelism); true when every one is verified.
    private func rollBack<Worker: HostWorker>(_ hosts: [Worker], prepared: DeployPreparation, deployID: String, events: DeployEventSink) async -> Bool {
        let playbook = prepared.playbook
        let policy = prepared.policy
        let results = TriggerLog()
        await HostFanOut<Worker, Void>(parallel: policy.parallel).run(hosts, work: { worker in
            if let reason = await worker.rollBack(to: nil, playbook: playbook, policy: policy, deployID: deployID, vars: Self.templateValues(worker.host),
                                                  finishing: false) {
                results.note(worker.name, reason)
            }
        }, onResult: { _ in })
        for worker in hosts {
            if let reason = results.notes[worker.name] { await worker.markRollbackFailed(reason) }
        }
        events(.rollbackFinished(hosts: hosts.map(\.name), failed: hosts.map(\.name).filter { results.notes[$0] != nil }))
        return results.notes.isEmpty
    }

    private func finish<Hosts: DeployHosts>(_ report: DeployReport, workers: [Hosts.Worker], fleet: Hosts,
                                            start: ContinuousClock.Instant, events: DeployEventSink) async -> DeployReport {
        var report = report
        // Leases are released even when the run was cancelled (a second Ctrl-C): a new task
        // does not inherit the cancellation. Every host at once: each works on the connection
        // it already holds (no handshake), in its own round trip.
        await Task { await HostFanOut<Hosts.Worker, Void>(parallel: max(1, workers.count)).run(workers, work: { await $0.finish() }, onResult: { _ in }) }.value
        await fleet.close()
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

    private func failedNames<Worker: HostWorker>(_ workers: [Worker]) async -> [String] {
        var names: [String] = []
        for worker in workers where !(await worker.healthy) { names.append(worker.name) }
        return names
    }

    /// Waits for `cutover promote`/`abort` (the decision file on the canary hosts names this
    /// deploy), a stop request, or the pause's timeout and its default action. The hosts of
    /// `marking` say the deploy is paused while it waits: only then is an answer taken.
    /// Nil when the deploy was stopped meanwhile (Ctrl-C, an abort): the caller decides.
    static func waitForAnswer<Worker: HostWorker>(_ pause: ManualPause, wave: Int, deployID: String, hosts: [Worker], marking: [Worker],
                                                  stop: StopRequest, events: DeployEventSink) async -> (action: ManualPause.Action, by: String)? {
        await HostFanOut<Worker, Void>(parallel: 50).run(marking, work: { await $0.setPaused(true) }, onResult: { _ in })
        let answer = await answer(pause, wave: wave, deployID: deployID, hosts: hosts, stop: stop, events: events)
        await Task { await HostFanOut<Worker, Void>(parallel: 50).run(marking, work: { await $0.setPaused(false) }, onResult: { _ in }) }.value
        return answer
    }

    private static func answer<Worker: HostWorker>(_ pause: ManualPause, wave: Int, deployID: String, hosts: [Worker],
                               stop: StopRequest, events: DeployEventSink) async -> (action: ManualPause.Action, by: String)? {
        events(.paused(wave: wave, timeout: pause.timeout, onTimeout: pause.onTimeout.rawValue))
        let deadline = ContinuousClock.now + pause.timeout
        while ContinuousClock.now < deadline {
            if let by = stop.abortedBy {
                events(.pauseAnswered(action: "abort", by: by))
                return nil
            }
            if stop.isRequested || Task.isCancelled {
                events(.pauseAnswered(action: "abort", by: "Ctrl-C"))
                return nil
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
    static func baseline<Worker: HostWorker>(for canary: [Worker], from workers: [Worker]) async -> [Worker] {
        var candidates: [Worker] = []
        for worker in workers {
            let switched = await worker.switched
            let healthy = await worker.healthy
            if !switched && healthy { candidates.append(worker) }
        }
        var chosen: [Worker] = []
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
