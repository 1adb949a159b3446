public import Foundation

/// The release `cutover rollback` goes to when the ledger knows one: the app's last promoted
/// deploy before the one that put the fleet on its current release.
///
/// The current release is the one the newest converged record landed on (a promoted deploy, or
/// a promoted rollback to one release). The known-good release is that of the newest promoted
/// deploy finished before the current release's own promoted deploy, with a different release:
/// after deploying 1.0 then 1.1, it is 1.0; after rolling back to 1.0, it is the release before 1.0.
public struct KnownGoodRelease: Sendable, Hashable {
    public var release: String
    public var deployID: String
    public var promotedAt: Date
    /// The release the ledger believes the fleet is on.
    public var current: String

    /// Nil when the ledger cannot tell (no converged record, or nothing before the current release).
    public init?(records: [LedgerRecord], app: String) {
        let history = records.filter { $0.app == app && $0.outcome == .promoted }
            .sorted { ($0.finishedAt, $0.id ?? 0) > ($1.finishedAt, $1.id ?? 0) }
        guard let landing = history.first(where: { [.deploy, .resume, .rollback].contains($0.kind) && $0.release != nil }),
              let current = landing.release else { return nil }
        let deploys = history.filter { $0.kind == .deploy || $0.kind == .resume }
        guard let currentDeploy = deploys.firstIndex(where: { $0.release == current }),
              let good = deploys[(currentDeploy + 1)...].first(where: { $0.release != nil && $0.release != current }),
              let release = good.release else { return nil }
        self.release = release
        deployID = good.deployID
        promotedAt = good.finishedAt
        self.current = current
    }
}
