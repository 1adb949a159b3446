import Console
import Ledger

/// `cutover rollback` without `--to`: the app's last known-good release from the ledger, said
/// on stderr; nil (each host's journal decides, as without a ledger) when the ledger is off,
/// unreadable or does not know one. Only records of deploys that touched one of `hosts` count:
/// staging and production deploying the same app into one ledger do not mix.
enum KnownGoodTarget {
    static func find(app: String?, hosts: [String]?, ledger: LedgerOption) async -> KnownGoodRelease? {
        guard let app, let location = try? ledger.location(), let store = location.open(forWriting: false) else { return nil }
        let output = TerminalOutput()
        let records: [LedgerRecord]
        do {
            records = try await store.records(LedgerQuery(app: app))
        } catch {
            output.err("warning: cannot read the ledger (\(error.message)); each host goes back to the release before its current one")
            await store.close()
            return nil
        }
        await store.close()
        let fleet = Set(hosts ?? [])
        let relevant = hosts == nil ? records : records.filter { !fleet.isDisjoint(with: $0.hosts.map(\.host)) }
        guard let good = KnownGoodRelease(records: relevant, app: app) else { return nil }
        if let unfinished = good.unfinishedDeploy {
            output.err("rollback: \(unfinished) did not finish; going back to \(good.release), the release the ledger last saw \(app) land on (deploy \(good.deployID), \(LedgerText.time(good.promotedAt)) UTC; --to RELEASE picks another)")
            return good
        }
        output.err("rollback: the ledger's last known-good release of \(app) is \(good.release) (deploy \(good.deployID), promoted \(LedgerText.time(good.promotedAt)) UTC; the fleet is on \(good.current)); going there (--to RELEASE picks another)")
        return good
    }
}
