import Release

/// What one host went through in a deploy or rollback, as a value: the engine's whole view of
/// the host, changed only by the named transitions below, and the one place that decides where
/// the host ended (``standing``, ``result(host:release:hostCurrent:bytesSent:)``) and where a
/// rollback goes (``rollbackTarget(explicit:hostCurrent:hostPrevious:)``).
///
/// The actor that talks to the host (``HostDeployment`` over SSH, ``SimulatedHost`` in memory)
/// owns one and reports each step as events; ``DeployRun`` reads it to decide budgets, scopes
/// and rollbacks. Being a value, every transition and decision is table-tested without a host
/// (`HostRunTests`).
struct HostRun: Sendable, Equatable {
    /// How far this run got with `current` on the host.
    enum SwitchPhase: Sendable, Equatable {
        /// Never asked to switch.
        case untouched
        /// A switch to `target` was started and its answer never came (a timeout, a dropped
        /// connection): the host may or may not have switched.
        case unsure(target: ReleaseID)
        /// This run switched `current` to `target`; `from` is what it pointed at before, when
        /// that was a release (nil for a first deploy, or a `current` set by someone else).
        case switched(target: ReleaseID, from: ReleaseID?)
    }

    /// Where the host ends, most important first: the summary's final state.
    enum Standing: Sendable, Equatable {
        case unreachable
        case rollbackFailed
        case rolledBack
        /// Failed after its switch: it serves the new release, unverified.
        case failedSwitched
        /// Failed before any switch: it serves what it had.
        case failedUnchanged
        case promoted
        case unchanged
    }

    private(set) var switchPhase: SwitchPhase = .untouched
    /// Where `current` points now, as far as this run changed it.
    private(set) var currentRelease: ReleaseID?
    /// Why this host failed, when it did (`step: reason`).
    private(set) var failure: String?
    private(set) var unreachable = false
    /// Another run's lease holder, when that is why this host was not deployed.
    private(set) var lockHolder: String?
    /// Rolled back with its wave (or the deploy), by a decision outside the host.
    private(set) var rolledBack = false
    private(set) var rollbackFailure: String?
    /// Why the lease could not be released at the end (the host went down, say).
    private(set) var leaseKept: String?
    /// The wave whose gates this host passed (in this run or an earlier run of this deploy).
    private(set) var verifiedWave: Int?
    /// The release a rollback went back to and verified (its hook and checks passed).
    private(set) var verifiedRollback: ReleaseID?

    var healthy: Bool { failure == nil }
    var switchAttempted: Bool { switchPhase != .untouched }
    var switched: Bool { if case .switched = switchPhase { true } else { false } }
    /// A switch whose answer was lost.
    var isUnsure: Bool { if case .unsure = switchPhase { true } else { false } }
    /// The release a switch was started to (its answer may have been lost).
    var switchTarget: ReleaseID? {
        switch switchPhase {
        case .untouched: nil
        case .unsure(let target), .switched(let target, _): target
        }
    }
    /// The release `current` pointed at before this run switched it.
    var switchedFrom: ReleaseID? { if case .switched(_, let from) = switchPhase { from } else { nil } }

    // MARK: Transitions

    /// The host failed at a step: `reason` is the whole `step: why` text.
    mutating func fail(_ reason: String, unreachable: Bool = false) {
        failure = reason
        if unreachable { self.unreachable = true }
    }

    /// Another live run holds the host's lease.
    mutating func lockHeld(by holder: String) {
        lockHolder = holder
        failure = "lease: locked by \(holder)"
    }

    /// Not deployed for a reason outside the host (another run holds the first host's lease).
    mutating func notTried(_ reason: String) {
        if failure == nil { failure = reason }
    }

    mutating func switchStarted(to target: ReleaseID) {
        switchPhase = .unsure(target: target)
    }

    mutating func switchDone(to target: ReleaseID, from previous: ReleaseID?) {
        switchPhase = .switched(target: target, from: previous)
        currentRelease = target
    }

    /// `resume`: the host already runs `release`, verified in `wave` by the interrupted run.
    mutating func adoptVerified(release: ReleaseID, wave: Int) {
        switchPhase = .switched(target: release, from: nil)
        currentRelease = release
        verifiedWave = wave
    }

    /// A lost switch answer, settled by reading `current` at the end: when it points at the
    /// target (and did not before this run), the host did switch. `now`: nil when `current`
    /// points at nothing, or at something that is not a release id.
    mutating func learnCurrent(_ now: ReleaseID?, before: ReleaseID?) {
        guard case .unsure(let target) = switchPhase, now == target, before != target else { return }
        switchPhase = .switched(target: target, from: nil)
        currentRelease = target
        if let failure { self.failure = "switched to \(target), then cut off: \(failure)" }
    }

    /// `current` points at `release` again (a rollback's switch ran).
    mutating func wentBack(to release: ReleaseID) {
        currentRelease = release
    }

    /// Blue/green: traffic moved back to a slot holding `release` (a switch of this run too).
    mutating func trafficBack(to release: ReleaseID) {
        currentRelease = release
        if case .switched = switchPhase { return }
        switchPhase = .switched(target: release, from: nil)
    }

    /// The host is back on a release and verified: it no longer counts as failed.
    mutating func recovered() {
        failure = nil
    }

    /// A rollback ended: `verified` is the release it went back to and verified (journaled as
    /// `rollback-verified` when the lease is released), nil when it did not finish.
    mutating func rollbackEnded(verified: ReleaseID?) {
        verifiedRollback = verified
    }

    /// Rolled back with its wave (or the whole deploy), by a decision outside the host.
    mutating func rolledBackWithWave(_ reason: String) {
        if failure == nil { failure = reason }
        rolledBack = true
    }

    mutating func rollbackFailed(_ reason: String) {
        rollbackFailure = reason
    }

    mutating func passed(wave: Int) {
        verifiedWave = wave
    }

    /// The lease could not be released at the end; `unreachable` when the connection broke.
    mutating func leaseNotReleased(_ reason: String, unreachable: Bool) {
        leaseKept = reason
        if unreachable { self.unreachable = true }
    }

    // MARK: Decisions

    /// Where the host ended. `release`: what the deploy installs; `hostCurrent`: `current` as
    /// the host reported it when the run began.
    func standing(release: ReleaseID?, hostCurrent: ReleaseID?) -> Standing {
        if unreachable { return .unreachable }
        if rollbackFailure != nil { return .rollbackFailed }
        if rolledBack { return .rolledBack }
        if failure != nil { return switched ? .failedSwitched : .failedUnchanged }
        return switched || hostCurrent == release ? .promoted : .unchanged
    }

    /// The release a rollback goes back to: the one asked for, else where this run switched
    /// from; when the switch's answer was lost, what `current` was before this run (never the
    /// release before that); else the journal's previous release. Nil: nowhere to go.
    func rollbackTarget(explicit: ReleaseID?, hostCurrent: ReleaseID?, hostPrevious: ReleaseID?) -> ReleaseID? {
        if let explicit { return explicit }
        if let switchedFrom { return switchedFrom }
        if isUnsure, let hostCurrent { return hostCurrent }
        return hostPrevious
    }

    /// Whether the journal should say this host passed `verifiedWave` when the lease is released.
    var journalsVerifiedWave: Bool { verifiedWave != nil && switched && failure == nil && !rolledBack && currentRelease != nil }

    /// The summary's line for this host (its release as the report's text).
    func result(host: String, release: ReleaseID?, hostCurrent: ReleaseID?, bytesSent: Int64) -> DeployReport.HostResult {
        let state: DeployReport.HostFinalState = switch standing(release: release, hostCurrent: hostCurrent) {
        case .unreachable: .unreachable
        case .rollbackFailed: .rollbackFailed
        case .rolledBack: .rolledBack
        case .failedSwitched: .failed
        case .failedUnchanged: .unchanged
        case .promoted: .promoted
        case .unchanged: .unchanged
        }
        var result = DeployReport.HostResult(host: host, release: (currentRelease ?? hostCurrent)?.description, state: state,
                                             detail: rollbackFailure ?? failure ?? (unreachable ? leaseKept : nil),
                                             cause: lockHolder.map(HostResultCause.lockedBy))
        result.bytesSent = bytesSent
        return result
    }
}
