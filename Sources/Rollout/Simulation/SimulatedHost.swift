import Fleet
import Release

/// A host in memory: the engine's ``HostWorker`` without SSH. Each phase takes the host's
/// latency, changes its ``SimulatedDisk`` as the remote scripts change the real deploy root
/// (releases, `current`, the journal, the lease), fails where its ``SimulatedFault`` says, and
/// reports the same step events and ``HostRun`` transitions as ``HostDeployment``.
///
/// What it does not simulate: blue/green slots (a slotted deploy fails the host, saying so),
/// delta and pull distribution (a push is a push), lease expiry and other runners' leases.
actor SimulatedHost: HostWorker {
    nonisolated let host: Fleet.Host
    let disk: SimulatedDisk
    let behaviour: SimulatedBehaviour
    /// The playbook, deploy id and rollback policy every step of this run shares.
    let context: HostRunContext
    nonisolated var deployID: String { context.deployID }
    var playbook: Playbook { context.playbook }
    var policy: RollbackPolicy { context.policy }
    let events: DeployEventSink
    private(set) var run = HostRun()
    private(set) var state: HostState?
    private(set) var isConnected = false
    private(set) var bytesSent: Int64 = 0
    private var leaseToken: Int?
    private var pruning: (keep: Int, release: ReleaseID)?
    /// The release this deploy installs (known from the push), whose health the fault decides.
    private var newRelease: ReleaseID?

    init(host: Fleet.Host, disk: SimulatedDisk, behaviour: SimulatedBehaviour, context: HostRunContext, events: @escaping DeployEventSink) {
        self.host = host
        self.disk = disk
        self.behaviour = behaviour
        self.context = context
        self.events = events
    }

    var templateValues: TemplateValues { Deployment.templateValues(host) }

    // MARK: Preflight

    func connect() async {
        emit(.connect, .started)
        await roundTrip()
        if behaviour.fault == .unreachable { return fail(.connect, "connection refused", unreachable: true) }
        isConnected = true
        emit(.connect, .ok)
    }

    func takeLease(owner: String, lockWait: Duration, needsTar: Bool, artifact: LeaseArtifact?) async {
        guard isConnected else { return }
        emit(.lease, .started)
        await roundTrip()
        let deploy = deployID
        let outcome: (state: HostState, token: Int?, holder: String?) = disk.update { contents in
            let before = contents.hostState
            if let lease = contents.lease, lease.deploy != deploy { return (before, nil, "deploy \(lease.deploy)") }
            // As the lease script: a token above every earlier one, stale answers removed.
            contents.fence += 1
            contents.lease = (contents.fence, deploy)
            contents.decision = nil
            contents.paused = false
            return (before, contents.fence, nil)
        }
        state = outcome.state
        if let holder = outcome.holder {
            run.lockHeld(by: holder)
            return emit(.lease, .failed, "locked by \(holder)")
        }
        leaseToken = outcome.token
        emit(.lease, .ok, "token \(outcome.token ?? 0)")
    }

    func refuseIfSlotted() {}

    func push(_ plan: PushPlan) async {
        guard run.healthy, leaseToken != nil else { return }
        newRelease = plan.release
        if state?.holds(plan.release, sha256: plan.artifact.sha256) == true {
            return emit(.upload, .skipped, "release already on the host")
        }
        emit(.upload, .started)
        await roundTrip()
        if behaviour.fault == .uploadFails { return dropped(.upload) }
        bytesSent += plan.artifact.size
        emit(.upload, .ok, "\(bytesSent) bytes sent, sha256 verified")
        emit(.extract, .started)
        await roundTrip()
        if behaviour.fault == .extractFails { return fail(.extract, "exit 1: No space left on device") }
        guard holdsLease() else { return fail(.extract, Self.leaseLost) }
        let (release, sha256) = (plan.release, plan.artifact.sha256)
        disk.update { contents in
            contents.releases.removeAll { $0.id == release }
            contents.releases.append((release, sha256))
            contents.journal.append(entry(.extract, ["release": release]))
        }
        emit(.extract, .ok)
    }

    func migrate(_ migration: Migration, release: ReleaseID) async -> String? {
        emit(.migrate, .started)
        await roundTrip()
        guard holdsLease() else {
            fail(.migrate, Self.leaseLost)
            return Self.leaseLost
        }
        disk.update { $0.journal.append(entry(.migrate, ["release": release])) }
        emit(.migrate, .ok)
        return nil
    }

    func migratedEarlier(release: ReleaseID) -> JournalEntry? { state?.migration(of: release, by: deployID) }
    func switchedEarlier(release: ReleaseID) -> JournalEntry? { state?.switchEntry(to: release, by: deployID) }
    func reportMigratedEarlier(_ entry: JournalEntry) { emit(.migrate, .skipped, "ran earlier in this deploy") }
    func reportMigrationImplied(by entry: JournalEntry) { emit(.migrate, .skipped, "implied by an earlier switch in this deploy") }

    // MARK: Switch

    func stage(release: ReleaseID) async -> RollbackTrigger? {
        fail(.stage, "blue/green slots are not simulated")
        return .hook
    }

    func switchSlot(release: ReleaseID, stableFor: Duration) async -> RollbackTrigger? {
        fail(.switch, "blue/green slots are not simulated")
        return .hook
    }

    func activate(release: ReleaseID, stableFor: Duration) async -> RollbackTrigger? {
        guard run.healthy, leaseToken != nil else { return nil }
        if playbook.hooks.beforeSwitch != nil {
            emit(.beforeSwitch, .started)
            await roundTrip()
            if behaviour.fault == .beforeSwitchFails {
                fail(.beforeSwitch, "exit 1")
                return .hook
            }
            emit(.beforeSwitch, .ok)
        }
        emit(.switch, .started)
        run.switchStarted(to: release)
        await roundTrip()
        if behaviour.fault == .droppedBeforeSwitch {
            dropped(.switch)
            return .hook
        }
        guard holdsLease() else {
            fail(.switch, Self.leaseLost)
            return .hook
        }
        let from = switchCurrent(to: release, step: .switch)
        if behaviour.fault == .switchAnswerLost {
            dropped(.switch)
            return .hook
        }
        if behaviour.fault == .switchTimedOut {
            fail(.switch, "timed out after \(playbook.timeouts.hook), the command was stopped")
            return .hook
        }
        run.switchDone(to: release, from: from)
        emit(.switch, .ok, "current -> \(release)\(from.map { " (was \($0))" } ?? "")")
        if playbook.hooks.activate != nil {
            emit(.activate, .started)
            if behaviour.fault == .activateFails {
                fail(.activate, "exit 1")
                return .hook
            }
            emit(.activate, .ok)
        }
        if !playbook.health.isEmpty {
            emit(.health, .started)
            if let reason = checks(playbook.health, step: .health, release: release) {
                run.fail("health: \(reason)")
                return .health
            }
        }
        if !playbook.smoke.isEmpty {
            emit(.smoke, .started)
            await roundTrip()
            if behaviour.fault == .smokeFails {
                fail(.smoke, "host smoke test failed, exit 1")
                return .smoke
            }
            emit(.smoke, .ok)
        }
        if playbook.hooks.afterSwitch != nil {
            emit(.afterSwitch, .started)
            await roundTrip()
            if behaviour.fault == .afterSwitchFails {
                fail(.afterSwitch, "exit 1")
                return .hook
            }
            emit(.afterSwitch, .ok)
        }
        return nil
    }

    func verifiedEarlier(release: ReleaseID) -> Int? { state?.verifiedWave(of: release) }

    func adoptVerified(release: ReleaseID, wave: Int) {
        run.adoptVerified(release: release, wave: wave)
        emit(.switch, .skipped, "already on \(release), verified in wave \(wave) before the deploy stopped: not run again")
    }

    func markVerified(wave: Int) { run.passed(wave: wave) }

    // MARK: Bake and pauses

    func measure(_ command: String) async -> String? {
        await roundTrip()
        let current = disk.snapshot.current
        return String(current != nil && current == newRelease ? behaviour.canaryKPI : behaviour.baselineKPI)
    }

    func setPaused(_ paused: Bool) async {
        guard let token = leaseToken else { return }
        await roundTrip()
        // As the fenced mark: an answer from before this pause is never taken.
        disk.update { contents in
            guard contents.lease?.token == token else { return }
            contents.paused = paused
            contents.decision = nil
        }
    }

    func readDecision() async -> [String: String]? {
        await roundTrip()
        return disk.snapshot.decision
    }

    // MARK: Rollback

    func rollBack(to explicitTarget: ReleaseID?, finishing: Bool) async -> String? {
        let reason = await switchBack(to: explicitTarget)
        run.rollbackEnded(verified: reason == nil ? run.currentRelease : nil)
        return reason
    }

    private func switchBack(to explicitTarget: ReleaseID?) async -> String? {
        guard leaseToken != nil else { return "not connected" }
        if explicitTarget == nil && !run.switchAttempted {
            emit(.rollback, .skipped, "never switched; still on \(state?.current?.description ?? "its release")")
            return nil
        }
        guard let target = run.rollbackTarget(explicit: explicitTarget, hostCurrent: state?.current, hostPrevious: state?.previous) else {
            emit(.rollback, .failed, "no previous release to go back to")
            return "no previous release to go back to"
        }
        emit(.rollback, .started, "to \(target)")
        guard isConnected else {
            // The connection this run lost: the command fails as the real one does.
            emit(.rollback, .failed, "connection reset by peer")
            return "connection reset by peer"
        }
        await roundTrip()
        if behaviour.fault == .rollbackFails {
            emit(.rollback, .failed, "exit 1")
            return "exit 1"
        }
        guard holdsLease() else {
            emit(.rollback, .failed, Self.leaseLost)
            return Self.leaseLost
        }
        _ = switchCurrent(to: target, step: .rollback)
        run.wentBack(to: target)
        emit(.rollback, .ok, "current -> \(target)")
        let verification = policy.checks.isEmpty ? playbook.health : policy.checks
        if !verification.isEmpty {
            emit(.checks, .started)
            if let reason = checks(verification, step: .checks, release: target) { return reason }
        }
        run.recovered()
        return nil
    }

    func markFailed(_ reason: String) { run.rolledBackWithWave(reason) }
    func markRollbackFailed(_ reason: String) { run.rollbackFailed(reason) }

    // MARK: Finish

    func prune(keep: Int, release: ReleaseID) {
        guard run.healthy else { return }
        pruning = (keep, release)
    }

    func renewLease() async {
        guard run.healthy, isConnected, let token = leaseToken else { return }
        await roundTrip()
        if disk.snapshot.lease?.token != token { fail(.lease, "lease lost: another run holds the host now") }
    }

    func notTried(_ reason: String) { run.notTried(reason) }

    func finish() async {
        guard isConnected else { return }
        if let token = leaseToken {
            await roundTrip()
            let (run, state, deploy, pruning) = (run, state, deployID, pruning)
            let now = disk.update { contents -> ReleaseID? in
                // Fenced, as the real finish: a lease another run took meanwhile writes nothing.
                guard contents.lease?.token == token else { return contents.current }
                if let pruning {
                    let protected = Set([pruning.release, run.switchedFrom, state?.current, state?.previous].compactMap { $0 })
                    let onHost = contents.releases.map(\.id).filter { $0 != pruning.release } + [pruning.release]
                    let removable = Set(ReleaseRetention(releases: onHost, keep: pruning.keep, protected: protected,
                                                         journal: contents.journal).removable)
                    contents.releases.removeAll { removable.contains($0.id) }
                }
                if let verified = run.verifiedRollback {
                    contents.journal.append(JournalEntry(time: "0", deploy: deploy, step: .rollbackVerified, releases: ["release": verified]))
                }
                if run.journalsVerifiedWave, let wave = run.verifiedWave, let release = run.currentRelease {
                    contents.journal.append(JournalEntry(time: "0", deploy: deploy, step: .waveVerified,
                                                         releases: ["release": release], fields: ["wave": String(wave)]))
                }
                contents.lease = nil
                return contents.current
            }
            if run.isUnsure { self.run.learnCurrent(now, before: state?.current) }
            leaseToken = nil
        }
        isConnected = false
    }

    // MARK: Helpers

    /// What a fenced step says when another run took the lease meanwhile (``RemoteExit/leaseLost``).
    static let leaseLost = "lease lost: another run holds the host now"

    /// Whether this run still holds the host's lease: every step that changes the host checks it
    /// first, as the real scripts are fenced.
    private func holdsLease() -> Bool {
        guard let token = leaseToken else { return false }
        return disk.snapshot.lease?.token == token
    }

    /// Points `current` at `release` and journals the step; the release it pointed at before,
    /// when that was another one.
    private func switchCurrent(to release: ReleaseID, step: JournalStep) -> ReleaseID? {
        disk.update { contents in
            let from = contents.current
            // As the switch script: journaled only when `current` changes.
            if from != release {
                contents.current = release
                contents.journal.append(entry(step, ["to": release, "from": from]))
            }
            // As the real switch reports it: only another release is a way back.
            return from != release ? from : nil
        }
    }

    /// The checks' verdict on `release`: the new release fails them on an unhealthy host.
    private func checks(_ list: [HealthCheck], step: DeployStep, release: ReleaseID) -> String? {
        let broken = behaviour.fault == .unhealthy && release == newRelease
        for check in list {
            let label = HealthProbe(check: check, values: templateValues).label
            events(.check(CheckResult(host: name, step: step, check: label, passed: !broken, detail: broken ? "exit 1" : nil)))
            if broken {
                emit(step, .failed, "\(label): exit 1")
                return "\(label): exit 1"
            }
        }
        emit(step, .ok, "\(list.count) check\(list.count == 1 ? "" : "s") passed")
        return nil
    }

    private nonisolated func entry(_ step: JournalStep, _ releases: [String: ReleaseID?]) -> JournalEntry {
        JournalEntry(time: "0", deploy: deployID, step: step, releases: releases)
    }

    /// The connection broke at `step`: the host is unreachable from here on, its lease kept.
    private func dropped(_ step: DeployStep) {
        isConnected = false
        fail(step, "connection reset by peer", unreachable: true)
    }

    private func roundTrip() async {
        if behaviour.latency > .zero { try? await Task.sleep(for: behaviour.latency) }
    }

    private func fail(_ step: DeployStep, _ reason: String, unreachable: Bool = false) {
        run.fail("\(step.rawValue): \(reason)", unreachable: unreachable)
        emit(step, .failed, reason)
    }

    private func emit(_ step: DeployStep, _ state: StepState, _ detail: String? = nil) {
        events(.step(host: host.name, step: step, state: state, detail: detail))
    }
}
