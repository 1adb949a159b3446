import Analysis
import Fleet
import Release

/// The waves: each one switched behind its gates (health, `stable_for`, smoke, after_switch),
/// then its bake and pause, then what its failures lead to under the budget and the policy.
extension DeployRun {
    /// Runs the plan's waves in order until one ends the deploy.
    func runWaves() async {
        for (index, wave) in plan.waves.enumerated() {
            guard await runWave(number: index + 1, members: wave.compactMap { byName[$0] }) else { return }
        }
    }

    /// One wave; false when the deploy ends with it.
    private func runWave(number: Int, members: [Worker]) async -> Bool {
        if stop.isAborted {
            await abort(number, during: "before wave \(number)")
            return false
        }
        if stop.isRequested || Task.isCancelled {
            end(.interrupted, "stopped before wave \(number) of \(plan.waves.count); every host is on the new release or on the one it had")
            return false
        }
        var active: [Worker] = []
        for member in members where await member.healthy { active.append(member) }
        events(.waveStarted(index: number, count: plan.waves.count, hosts: active.map(\.name)))
        if await adoptVerifiedWave(number, active) { return true }

        let step = prepared.canarySteps[number - 1]
        let triggers = await switchWave(active, stableFor: step?.stableFor ?? playbook.stableFor)
        for member in active where await member.switched { touched.append(member) }
        if stop.isAborted {
            touched += await Self.unsure(active)
            await abort(number, during: "during wave \(number)")
            return false
        }
        if triggers.all.isEmpty, let step, let bake = step.bake {
            guard await bakeCanary(number, step: step, bake: bake, active: active, triggers: triggers) else { return false }
        }
        guard !ended else { return false }
        if triggers.all.isEmpty, let pause = step?.pause, number < plan.waves.count {
            guard await pauseAfter(number, pause) else { return false }
        }
        let waveFailures = triggers.all
        for member in active where waveFailures[member.name] == nil {
            if await member.switched { await member.markVerified(wave: number) }
        }
        guard !waveFailures.isEmpty else { return true }
        return await handleFailures(number, active: active, triggers: triggers)
    }

    /// `resume`: a wave whose every host the interrupted run verified is adopted as it is, not
    /// activated, checked or baked again. True when adopted.
    private func adoptVerifiedWave(_ number: Int, _ active: [Worker]) async -> Bool {
        guard request.resuming, prepared.blueGreen == nil, !active.isEmpty else { return false }
        for member in active where await member.verifiedEarlier(release: release) == nil { return false }
        for member in active { await member.adoptVerified(release: release, wave: number) }
        touched += active
        skippedWaves.append(number)
        return true
    }

    /// Switches the wave's hosts in parallel (each through its gates); what failed, by host.
    private func switchWave(_ active: [Worker], stableFor: Duration) async -> TriggerLog {
        let triggers = TriggerLog()
        let (blueGreen, release) = (prepared.blueGreen != nil, release)
        await fanOut.run(active, work: { worker in
            let trigger = blueGreen
                ? await worker.switchSlot(release: release, stableFor: stableFor)
                : await worker.activate(release: release, stableFor: stableFor)
            if let trigger { triggers.record(worker.name, trigger) }
        }, onResult: { _ in })
        return triggers
    }

    /// The canary's bake: its KPIs against a baseline of hosts still on the old release. A
    /// failed verdict (or an inconclusive one the policy rolls back, or a pause answered abort)
    /// fails every host of the wave by KPI. False when the deploy ends here (a stop, an abort).
    private func bakeCanary(_ number: Int, step: CanaryStep, bake: Duration, active: [Worker], triggers: TriggerLog) async -> Bool {
        let kpis = playbook.kpis.filter { step.analysis?.contains($0.name) ?? true }
        guard !kpis.isEmpty else { return true }
        var canary: [Worker] = []
        for member in touched where await member.healthy { canary.append(member) }
        let baseline = await Self.baseline(for: canary, from: workers)
        let outcome = await CanaryAnalysis(kpis: kpis, bake: bake, wave: number, parallel: fanOut.parallel, events: events).run(canary: canary, baseline: baseline, stop: stop)
        guard case .judged(let judgement) = outcome else {
            if stop.isAborted {
                await abort(number, during: "during wave \(number)'s bake")
            } else {
                // Never judged on partial data: the wave stays as it is, unjudged.
                let after: Duration = if case .stopped(let time) = outcome { time } else { .zero }
                end(.interrupted, "stopped during wave \(number)'s bake after \(SecondsText.describe(after)) of \(SecondsText.describe(bake)): "
                    + "not judged; its hosts stay on \(release) unjudged (`cutover resume` bakes the wave again, `cutover rollback` undoes it)")
            }
            return false
        }
        events(.analysis(CanaryVerdictReport(
            wave: number, canary: canary.map(\.name), baseline: baseline.map(\.name),
            verdict: judgement.verdict, score: judgement.score, reason: judgement.reason,
            kpis: judgement.kpis.map { verdict in .init(verdict, rule: kpis.first { $0.name == verdict.name }?.rule) })))
        var failedVerdict = judgement.verdict == .fail
        if judgement.verdict == .inconclusive {
            switch prepared.policy.inconclusive {
            case .rollback: failedVerdict = true
            case .promote: break
            case .pause:
                let pause = ManualPause(timeout: step.pause?.timeout ?? .seconds(3600), onTimeout: .abort)
                guard let answer = await Deployment.waitForAnswer(pause, wave: number, deployID: plan.deployID, hosts: touched,
                                                            marking: workers, stop: stop, events: events) else {
                    await stoppedAtPause(number)
                    return false
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
        return true
    }

    /// A manual pause after a healthy wave: `promote` goes on, `abort` rolls back what this
    /// deploy switched. False when the deploy ends here.
    private func pauseAfter(_ number: Int, _ pause: ManualPause) async -> Bool {
        guard let answer = await Deployment.waitForAnswer(pause, wave: number, deployID: plan.deployID, hosts: touched, marking: workers,
                                                    stop: stop, events: events) else {
            await stoppedAtPause(number)
            return false
        }
        guard answer.action == .abort else { return true }
        let reason = "wave \(number): aborted by \(answer.by)"
        let verified = await rollBack(touched, reason: reason)
        end(verified ? .rolledBack : .notConverged, reason)
        return false
    }

    /// A wave with failures: within the budget, the failed hosts whose trigger the policy lists
    /// go back and the deploy goes on; over it, the policy's scope says which hosts go back
    /// and the deploy ends. False when it ends.
    private func handleFailures(_ number: Int, active: [Worker], triggers: TriggerLog) async -> Bool {
        let waveFailures = triggers.all
        let failed = await failedNames()
        let withinBudget = playbook.maxFailures.allows(failed: failed.count, of: hostCount)
        let policy = prepared.policy
        let rollbackHosts: [Worker]
        if withinBudget {
            // Tolerated failures: put each failed host back on its previous release, go on.
            rollbackHosts = active.filter { waveFailures[$0.name].map(policy.triggers.contains) ?? false }
        } else {
            guard waveFailures.values.contains(where: policy.triggers.contains) else {
                end(.partial, "wave \(number) failed on \(waveFailures.keys.sorted().joined(separator: ", ")); the policy does not roll back these failures")
                return false
            }
            switch policy.scope {
            case .host: rollbackHosts = active.filter { waveFailures[$0.name] != nil }
            case .wave: rollbackHosts = active
            case .all:
                // Every host this run switched, and those of this wave whose switch may have
                // happened (its answer was lost) and that had a release to go back to.
                rollbackHosts = touched + (await Self.unsure(active))
            }
        }
        guard !rollbackHosts.isEmpty else {
            if withinBudget { return true }
            // Failed before switching (a before_switch hook, say): nothing to roll back.
            end(touched.isEmpty ? .notSwitched : .partial,
                "wave \(number): \(triggers.failures); failures exceed the budget of \(plan.maxFailures)"
                    + (touched.isEmpty ? " before any host was switched: nothing was switched" : "; none of this wave's hosts was switched"))
            return false
        }
        let reason = "wave \(number): " + triggers.failures
        let verified = await rollBack(rollbackHosts, reason: reason)
        if !withinBudget {
            end(verified ? .rolledBack : .notConverged,
                "\(reason); failures exceed the budget of \(plan.maxFailures), rolled back \(rollbackHosts.count) host\(rollbackHosts.count == 1 ? "" : "s") (scope \(policy.scope.rawValue))")
            if !verified { await noteFirstDeploys(rollbackHosts) }
            return false
        }
        guard verified else {
            end(.notConverged, "\(reason); the rollback could not finish on every host")
            await noteFirstDeploys(rollbackHosts)
            return false
        }
        return true
    }

    // MARK: Rolling back

    /// An abort: every host this deploy switched goes back (the policy's parallelism and checks).
    private func abort(_ number: Int, during moment: String) async {
        let by = stop.abortedBy ?? "someone"
        guard !touched.isEmpty else { return end(.notSwitched, "aborted by \(by) \(moment); nothing was switched") }
        let reason = "wave \(number): aborted by \(by) \(moment)"
        let verified = await rollBack(touched, reason: reason)
        end(verified ? .rolledBack : .notConverged,
            "\(reason); rolled back \(touched.count) host\(touched.count == 1 ? "" : "s")" + (verified ? "" : ", not every one could be verified"))
    }

    /// Stopped (Ctrl-C) or aborted while waiting at a pause.
    private func stoppedAtPause(_ number: Int) async {
        if stop.isAborted { return await abort(number, during: "at wave \(number)'s pause") }
        // The wave stays as it is, like a stopped bake.
        end(.interrupted, "stopped at wave \(number)'s pause: its hosts stay on \(release) (`cutover resume` pauses there again, `cutover rollback` undoes it)")
    }

    /// Rolls hosts back in parallel (the policy's parallelism) and marks each failed with
    /// `reason`; true when every one is back and verified.
    private func rollBack(_ hosts: [Worker], reason: String) async -> Bool {
        events(.rollbackStarted(reason: reason, hosts: hosts.map(\.name)))
        let policy = prepared.policy
        let results = TriggerLog()
        await HostFanOut<Worker, Void>(parallel: policy.parallel).run(hosts, work: { worker in
            if let reason = await worker.rollBack(to: nil, finishing: false) {
                results.note(worker.name, reason)
            }
        }, onResult: { _ in })
        for worker in hosts {
            if let reason = results.notes[worker.name] { await worker.markRollbackFailed(reason) }
        }
        events(.rollbackFinished(hosts: hosts.map(\.name), failed: hosts.map(\.name).filter { results.notes[$0] != nil }))
        for worker in hosts { await worker.markFailed("rolled back (\(reason))") }
        return results.notes.isEmpty
    }

    /// Says which hosts had no earlier release to go back to (a first deploy), and where they
    /// stand, so the summary suggests what can work instead of retrying the broken release.
    private func noteFirstDeploys(_ hosts: [Worker]) async {
        var first: [String] = []
        for host in hosts {
            let from = await host.switchedFrom, before = await host.state?.current
            if from == nil && before == nil { first.append(host.name) }
        }
        guard !first.isEmpty else { return }
        addToReason("\(first.joined(separator: ", ")) had no earlier release (a first deploy): \(first.count == 1 ? "it stays" : "they stay") on the failed release; fix it and deploy a new one")
        report.withoutEarlierRelease = first
    }

    // MARK: Reading the hosts

    /// Hosts of a wave whose switch may have happened (its answer was lost) and that had a
    /// release to go back to.
    static func unsure(_ active: [Worker]) async -> [Worker] {
        var unsure: [Worker] = []
        for member in active {
            if await member.run.isUnsure, await member.state?.current != nil { unsure.append(member) }
        }
        return unsure
    }

    /// Hosts still on the old release to compare the canary with: as many as the canary, from
    /// the same zones where possible.
    static func baseline(for canary: [Worker], from workers: [Worker]) async -> [Worker] {
        var candidates: [Worker] = []
        for worker in workers {
            if await !worker.switched, await worker.healthy { candidates.append(worker) }
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
}
