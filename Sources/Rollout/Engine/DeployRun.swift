import Fleet
import Foundation
import Release

/// One deploy in progress, phase by phase:
///
/// 1. ``takeLeases()`` — connect, read each deploy root, take its lease;
/// 2. ``pushArtifact()`` — the release onto every host, nothing serving changes;
/// 3. ``migrateOnce(_:)`` — `hooks.migrate` on one host, before any switch;
/// 4. ``stageSlots()`` — blue/green: every idle slot started and healthy;
/// 5. ``runWaves()`` (`DeployRun+Waves.swift`) — switch wave by wave behind the gates, and roll
///    back as the policy says;
/// 6. ``finish()`` — prune, journal, release every lease, the summary.
///
/// Each phase asks the hosts (``HostWorker``s, in parallel) and decides from their ``HostRun``s.
/// A phase that ends the deploy calls ``end(_:_:)`` (the outcome and its reason; ``ended``
/// from then on) and returns false. Lives in the deploy's own task: never shared.
final class DeployRun<Hosts: DeployHosts> {
    typealias Worker = Hosts.Worker

    let prepared: DeployPreparation
    let request: DeployRequest
    let fleet: Hosts
    let workers: [Worker]
    let byName: [String: Worker]
    let stop: StopRequest
    let events: DeployEventSink
    let start: ContinuousClock.Instant
    let fanOut: HostFanOut<Worker, Void>
    /// The summary; its outcome is decided once ``ended`` (promoted until then).
    var report: DeployReport
    /// Whether a phase ended the deploy (``end(_:_:)``): its outcome is decided.
    private(set) var ended = false
    /// Hosts this deploy switched (or adopted as switched by an earlier run of it), in order.
    var touched: [Worker] = []
    /// Waves `resume` found verified by the interrupted run, not run again.
    var skippedWaves: [Int] = []
    private var watcher: (any AbortWatching)?
    /// The artifact's manifest and delta bundles for the push, made before the leases are taken
    /// so that the manifest can be read while hosts still connect (``takeLeases()``).
    let delta: DeltaSource

    var plan: DeployPlan { prepared.plan }
    var playbook: Playbook { prepared.playbook }
    /// The release this deploy installs.
    var release: ReleaseID { prepared.release }
    var hostCount: Int { workers.count }

    init(prepared: DeployPreparation, request: DeployRequest, fleet: Hosts, stop: StopRequest,
         events: @escaping DeployEventSink, start: ContinuousClock.Instant) {
        self.prepared = prepared
        self.request = request
        self.fleet = fleet
        self.stop = stop
        self.events = events
        self.start = start
        let hosts = prepared.selection.hosts
        let context = HostRunContext(playbook: prepared.playbook, deployID: prepared.plan.deployID, policy: prepared.policy)
        workers = fleet.workers(for: hosts, context: context, stop: stop, events: events)
        byName = Dictionary(uniqueKeysWithValues: zip(hosts.map(\.name), workers))
        fanOut = HostFanOut(parallel: prepared.settings.parallel)
        delta = DeltaSource(artifact: prepared.artifact, shared: prepared.playbook.shared)
        report = DeployReport(outcome: .promoted, deployID: prepared.plan.deployID, release: prepared.release.description,
                              reason: nil, hosts: [], duration: .zero)
    }

    /// The whole deploy; every path ends in ``finish()``.
    func execute(migration: MigrationPlacement?) async -> DeployReport {
        guard await takeLeases() else { return await finish() }
        let keeper = LeaseKeeper(workers, parallel: prepared.settings.parallel)
        defer { keeper.stop() }
        var leased: [Worker] = []
        for worker in workers.sorted(by: { $0.name < $1.name }) where await worker.healthy { leased.append(worker) }
        watcher = fleet.watchAborts(on: leased, deployID: plan.deployID, stop: stop)
        if await phasesBeforeSwitching(migration: migration) {
            await runWaves()
        }
        if !ended {
            let failed = await failedNames()
            if !failed.isEmpty {
                end(.partial, "\(failed.count) of \(hostCount) hosts failed (within the budget of \(plan.maxFailures)): \(failed.joined(separator: ", "))")
            }
            for worker in workers { await worker.prune(keep: playbook.keepReleases, release: release) }
        }
        if !skippedWaves.isEmpty {
            let waves = skippedWaves.map(String.init).joined(separator: ", ")
            let note = "resumed: wave\(skippedWaves.count == 1 ? "" : "s") \(waves) passed every gate before the deploy stopped and \(skippedWaves.count == 1 ? "was" : "were") not run again"
            addToReason(note)
        }
        return await finish()
    }

    /// Push, migration and blue/green staging: nothing that serves traffic changes. False when
    /// the deploy ends here.
    private func phasesBeforeSwitching(migration: MigrationPlacement?) async -> Bool {
        guard !stoppedBeforeSwitching("before anything was pushed") else { return false }
        if prepared.blueGreen == nil { for worker in workers { await worker.refuseIfSlotted() } }
        guard await pushArtifact(), !stoppedBeforeSwitching("after the push, before any switch") else { return false }
        if let migration {
            guard await migrateOnce(migration), !stoppedBeforeSwitching("after the migration, before any switch") else { return false }
        }
        if prepared.blueGreen != nil {
            guard await stageSlots(), !stoppedBeforeSwitching("after staging, before traffic moved") else { return false }
        }
        return true
    }

    // MARK: Phases before any switch

    /// Connects and takes every host's lease (the first host alone first: a run that finds it
    /// held touches no other). False when another run holds a lease.
    private func takeLeases() async -> Bool {
        // One wait for every host: the first host's lease, taken alone, spends it for the others.
        let owner = DeployPreparation.owner, deadline = ContinuousClock.now + request.lockWait
        let artifact = LeaseArtifact(release: prepared.release, sha256: prepared.artifact.sha256,
                                     path: URL(fileURLWithPath: prepared.artifact.path).standardizedFileURL.path)
        let (delta, release, sha256) = (delta, release, prepared.artifact.sha256)
        await LeaseOrder.take(workers, parallel: prepared.settings.parallel) { worker in
            await worker.takeLease(owner: owner, lockWait: max(.zero, deadline - .now), needsTar: true, artifact: artifact)
            // A host that will be pushed to: the manifest (which every push reads) is read now,
            // while the other hosts still connect, not after the last lease.
            if await worker.lockHolder == nil, await worker.state.map({ !$0.holds(release, sha256: sha256) }) == true { delta.prepare() }
        }
        var locked: [String] = []
        for worker in workers { if let holder = await worker.lockHolder { locked.append("\(worker.name): \(holder)") } }
        guard locked.isEmpty else {
            end(.lockHeld, "the deploy lease is held: " + locked.joined(separator: "; "))
            return false
        }
        return true
    }

    /// The artifact onto every host (a delta where a host holds an earlier release; with
    /// `distribution: pull` each host first downloads it itself). False when more hosts failed
    /// than the budget allows.
    private func pushArtifact() async -> Bool {
        let push = PushPlan(artifact: prepared.artifact, release: release, playbook: playbook, delta: delta,
                            allowDelta: !request.noDelta, pull: prepared.pull)
        if prepared.distribution == .relay, let relaying = workers as? [any RelayWorker] {
            // Hosts pass the artifact on to hosts (Distribution/RelayDistribution). Workers that
            // cannot relay (simulated hosts) are pushed to.
            await RelayDistribution(settings: playbook.relay, parallel: prepared.settings.parallel, deployID: plan.deployID,
                                    layout: HostLayout(root: playbook.deployRoot), events: events).run(relaying, push: push)
        } else {
            await fanOut.run(workers, work: { await $0.push(push) }, onResult: { _ in })
        }
        await delta.close()
        let failed = await failedNames()
        guard playbook.maxFailures.allows(failed: failed.count, of: hostCount) else {
            end(.notSwitched, "\(failed.count) of \(hostCount) hosts failed before switching (budget \(plan.maxFailures)): \(failed.joined(separator: ", ")); nothing was switched")
            return false
        }
        return true
    }

    /// `hooks.migrate`, once per deploy, on one host, before any host serves the new release.
    private func migrateOnce(_ placement: MigrationPlacement) async -> Bool {
        guard let hook = playbook.hooks.migrate else { return true }
        if let reason = await Deployment.migrate(hook, placement: placement, workers: workers, release: release) {
            end(.notSwitched, reason)
            return false
        }
        return true
    }

    /// Blue/green: every idle slot started and healthy before any traffic moves.
    private func stageSlots() async -> Bool {
        let staging = TriggerLog()
        let release = self.release
        await fanOut.run(workers, work: { worker in
            if let trigger = await worker.stage(release: release) { staging.record(worker.name, trigger) }
        }, onResult: { _ in })
        let failed = await failedNames()
        guard playbook.maxFailures.allows(failed: failed.count, of: hostCount) else {
            let why = staging.all.isEmpty ? failed.joined(separator: ", ") : staging.failures
            end(.notSwitched, "the idle slot did not start or is not healthy (\(why); budget \(plan.maxFailures)); traffic was not moved on any host")
            return false
        }
        return true
    }

    /// A stop asked for before any host was switched ends the deploy here: an abort with nothing
    /// switched, a graceful stop as interrupted.
    private func stoppedBeforeSwitching(_ moment: String) -> Bool {
        guard let stopped = Deployment.stoppedBeforeSwitching(stop, moment) else { return false }
        end(stopped.outcome, stopped.reason)
        return true
    }

    // MARK: Ending

    /// Sets how the deploy ends.
    func end(_ outcome: DeployOutcome, _ reason: String) {
        report.outcome = outcome
        report.reason = reason
        ended = true
    }

    /// Adds a note to the reason (or makes it the reason).
    func addToReason(_ note: String) {
        report.reason = report.reason.map { $0 + "; " + note } ?? note
    }

    /// Stops the abort watch, then prunes, journals and releases every lease (each host on the
    /// connection it holds, all at once, even after a second Ctrl-C: a new task does not
    /// inherit the cancellation), and reports where each host ended.
    private func finish() async -> DeployReport {
        await watcher?.stop()
        await delta.close()  // a deploy that ended before its push
        let workers = workers
        await Task { await HostFanOut<Worker, Void>(parallel: max(1, workers.count)).run(workers, work: { await $0.finish() }, onResult: { _ in }) }.value
        await fleet.close()
        for worker in workers { report.hosts.append(await worker.result(release: release)) }
        // A host lost at the very end keeps the lease and may not run what it was told: the
        // deploy did not fully succeed, and the summary says where.
        let lost = report.hosts.filter { $0.state == .unreachable }.map(\.host)
        if !ended && !lost.isEmpty {
            end(.partial, "unreachable at the end, the lease is still held: \(lost.joined(separator: ", ")) (`cutover status` then `cutover resume` once back)")
        }
        report.duration = .now - start
        events(.finished(report))
        return report
    }

    // MARK: Reading the hosts

    func failedNames() async -> [String] {
        var names: [String] = []
        for worker in workers where !(await worker.healthy) { names.append(worker.name) }
        return names
    }
}
