public import Foundation

/// The release `cutover rollback` goes to when the ledger knows one: the app's last promoted
/// deploy before the one the fleet is on.
///
/// The ledger replays the app's records (`LandedReleases`): promoted deploys land on top, a
/// converged rollback takes off what it undid. The fleet is on the top release; the known-good
/// release is the newest promoted deploy below it with a different release. After deploying 1.0
/// then 1.1 it is 1.0; after rolling back to 1.0, it is the release before 1.0 (where each host's
/// journal has no previous release any more).
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

    /// Nil when the ledger cannot tell (nothing landed, nothing promoted below the current
    /// release, or the newest change is a rollback that did not finish: each host's journal
    /// knows better where it stands).
    public init?(records: [LedgerRecord], app: String) {
        let mine = records.filter { $0.app == app }
        let landed = LandedReleases(mine)
        let changes = mine.filter { $0.kind != .promote && $0.kind != .abort && $0.outcome != .lockHeld }
        if let newest = changes.max(by: { ($0.finishedAt, $0.id ?? 0) < ($1.finishedAt, $1.id ?? 0) }),
           newest.outcome == .notConverged || newest.outcome == .interrupted {
            guard newest.kind != .rollback, let top = landed.stack.last, let release = top.release else { return nil }
            self.release = release
            deployID = top.deployID
            promotedAt = top.finishedAt
            current = release
            unfinishedDeploy = newest.deployID
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
