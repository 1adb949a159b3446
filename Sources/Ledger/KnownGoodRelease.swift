public import Foundation

/// The release `cutover rollback` goes to when the ledger knows one: the release the fleet ran
/// before the most recent deploy.
///
/// The ledger replays the app's records (`LandedReleases`): promoted deploys land on top, a
/// converged rollback takes off what it undid. The fleet is on the top release. When the newest
/// change landed (a promoted deploy), the known-good release is the newest promoted deploy below
/// it with a different release: after deploying 1.0 then 1.1 it is 1.0. When the newest change
/// left the fleet where it was or took it back (a rollback, or a deploy that was rolled back or
/// switched nothing), the fleet already is on its known-good release (``settledBy``): a second
/// `cutover rollback` changes nothing, and going further back takes `--to`.
public struct KnownGoodRelease: Sendable, Hashable {
    public var release: String
    public var deployID: String
    public var promotedAt: Date
    /// The release the ledger believes the fleet is on.
    public var current: String

    /// The newest deploy or resume, when it did not finish (interrupted, or its rollback did not
    /// converge): the fleet is split between its release and the one below, and the known-good
    /// release is the one the fleet last landed on (``current``), not the one before it.
    public var unfinishedDeploy: String?

    /// The newest change (a rollback, or a deploy that did not land), when it left the fleet on
    /// its known-good release: ``release`` then is ``current``.
    public var settledBy: LedgerRecord?

    /// Nil when the ledger cannot tell (nothing landed, nothing promoted below the current
    /// release, or the newest change is a rollback that did not finish: each host's journal
    /// knows better where it stands).
    ///
    /// Only records of `app` in `environment` count (every environment when nil): staging's
    /// deploys never decide where production goes back to.
    public init?(records: [LedgerRecord], app: String, environment: String? = nil) {
        let mine = records.filter { $0.app == app && (environment == nil || $0.environment == environment) }
        let landed = LandedReleases(mine)
        // A lock-held or refused run touched nothing.
        let changes = mine.filter { $0.kind != .promote && $0.kind != .abort && $0.outcome != .lockHeld && $0.outcome != .refused }
        let newest = changes.max(by: { ($0.finishedAt, $0.id ?? 0) < ($1.finishedAt, $1.id ?? 0) })
        if let newest, newest.outcome == .notConverged || newest.outcome == .interrupted {
            guard newest.kind != .rollback, let top = landed.stack.last, let release = top.release else { return nil }
            self.release = release
            deployID = top.deployID
            promotedAt = top.finishedAt
            current = release
            unfinishedDeploy = newest.deployID
            return
        }
        if let newest, newest.leftTheFleetOnItsKnownGoodRelease, let top = landed.stack.last, let release = top.release {
            self.release = release
            deployID = top.deployID
            promotedAt = top.finishedAt
            current = release
            settledBy = newest
            return
        }
        // Known-good for the fleet: promoted on every host the current release runs on (a deploy
        // limited to some hosts is not the fleet's release, whatever its order).
        let fleet = Set(landed.stack.last?.hosts.map(\.host) ?? [])
        guard let current = landed.current,
              let good = landed.stack.dropLast().last(where: { record in
                  let promoted = Set(record.hosts.filter { $0.state == "promoted" }.map(\.host))
                  return (record.kind == .deploy || record.kind == .resume) && record.outcome == .promoted
                      && record.release != nil && record.release != current && fleet.isSubset(of: promoted)
              }),
              let release = good.release else { return nil }
        self.release = release
        deployID = good.deployID
        promotedAt = good.finishedAt
        self.current = current
    }
}

extension LedgerRecord {
    /// A rollback that finished (everywhere or on the hosts it reached), or a deploy that never
    /// landed (rolled back, switched nothing): after it, the fleet runs the release it ran before
    /// the most recent deploy.
    var leftTheFleetOnItsKnownGoodRelease: Bool {
        switch kind {
        case .rollback: outcome == .promoted || outcome == .partial
        case .deploy, .resume: outcome == .rolledBack || outcome == .notSwitched || (outcome == .partial && !promotedSomeHost)
        case .promote, .abort: false
        }
    }
}

/// The release the ledger believes the fleet of `app` in `environment` runs: the last one that
/// landed (promoted deploys on top, minus what converged rollbacks undid); nil when nothing landed.
public enum LandedRelease {
    public static func current(records: [LedgerRecord], app: String, environment: String? = nil) -> String? {
        LandedReleases(records.filter { $0.app == app && (environment == nil || $0.environment == environment) }).current
    }
}
