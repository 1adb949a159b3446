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

    /// Nil when the ledger cannot tell (nothing landed, or nothing promoted below the current release).
    public init?(records: [LedgerRecord], app: String) {
        let landed = LandedReleases(records.filter { $0.app == app })
        guard let current = landed.current,
              let good = landed.stack.dropLast().last(where: {
                  ($0.kind == .deploy || $0.kind == .resume) && $0.outcome == .promoted && $0.release != nil && $0.release != current
              }),
              let release = good.release else { return nil }
        self.release = release
        deployID = good.deployID
        promotedAt = good.finishedAt
        self.current = current
    }
}
