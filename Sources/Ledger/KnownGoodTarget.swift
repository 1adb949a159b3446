/// `cutover rollback` without `--to`: the app's last known-good release from the ledger and why
/// it is the target (the rollback's first line). Only records of the app in this environment,
/// of deploys that touched one of the run's hosts, count: staging and production deploying the
/// same app into one ledger do not mix, even when their hosts share names.
public struct KnownGoodTarget: Sendable, Hashable {
    public let good: KnownGoodRelease
    /// `rollback to 1.0-…: the ledger's last known-good release of web (…)`.
    public let reason: String

    /// What the ledger said.
    public enum Lookup: Sendable, Hashable {
        case found(KnownGoodTarget)
        /// The ledger is off or does not know one: each host's journal decides.
        case unknown
        /// The ledger could not be read: each host's journal decides, and the caller warns.
        case unreadable(LedgerError)
    }

    /// Looks the target up in the ledger at `location`; `hosts` nil: every host of the app counts.
    public static func find(app: String?, environment: String, hosts: [String]?, location: LedgerLocation) async -> Lookup {
        guard let app, let store = location.open(forWriting: false) else { return .unknown }
        let records: [LedgerRecord]
        do {
            records = try await store.records(LedgerQuery(app: app, environment: environment))
        } catch {
            await store.close()
            return .unreadable(error)
        }
        await store.close()
        return target(records: records, app: app, environment: environment, hosts: hosts).map(Lookup.found) ?? .unknown
    }

    /// The target the records give, when they give one.
    public static func target(records: [LedgerRecord], app: String, environment: String, hosts: [String]?) -> KnownGoodTarget? {
        let fleet = Set(hosts ?? [])
        let relevant = hosts == nil ? records : records.filter { !fleet.isDisjoint(with: $0.hosts.map(\.host)) }
        guard let good = KnownGoodRelease(records: relevant, app: app, environment: environment) else { return nil }
        return KnownGoodTarget(good: good, reason: reason(good, app: app))
    }

    /// The release the ledger last saw `app` land on, for the production prompt; nil when the
    /// ledger is off, unreadable (silently: the prompt goes on without it) or knows none.
    public static func landed(app: String?, environment: String?, location: LedgerLocation) async -> String? {
        guard let app, let store = location.open(forWriting: false) else { return nil }
        let records = try? await store.records(LedgerQuery(app: app, environment: environment))
        await store.close()
        return records.flatMap { LandedRelease.current(records: $0, app: app, environment: environment) }
    }

    static func reason(_ good: KnownGoodRelease, app: String) -> String {
        if let unfinished = good.unfinishedDeploy {
            return "rollback to \(good.release): \(unfinished) did not finish, and \(good.release) is the release the ledger last saw \(app) land on (deploy \(good.deployID), \(LedgerText.time(good.promotedAt)) UTC; --to RELEASE picks another)"
        }
        if let settled = good.settledBy {
            let what = settled.kind == .rollback ? "rollback \(settled.deployID) went back to it"
                : "deploy \(settled.deployID) of \(settled.release ?? "another release") ended \(settled.outcome.rawValue)"
            return "rollback to \(good.release): the fleet's last known-good release of \(app), where the ledger says it already is (\(what)); hosts already there stay (--to RELEASE goes further back)"
        }
        return "rollback to \(good.release): the ledger's last known-good release of \(app) (deploy \(good.deployID), promoted \(LedgerText.time(good.promotedAt)) UTC; the fleet is on \(good.current); --to RELEASE picks another)"
    }
}
