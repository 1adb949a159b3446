public import Diagnostics
public import Foundation
public import Release

/// `cutover releases APP`: per environment, the release each host runs as the ledger last saw
/// it, since when, and which releases the promotion policy would let into the next environment.
public struct FleetReleases: Sendable, Hashable {
    /// One host of an environment.
    public struct HostRelease: Sendable, Hashable {
        public var host: String
        public var release: String
        /// When the host landed on it (the record that first put it there).
        public var since: Date
        public var deployID: String
    }

    /// A release the next environment would accept, or will once its soak ends.
    public struct Candidate: Sendable, Hashable {
        public var release: String
        public var sha256: String
        public var deployID: String
        public var promotedAt: Date
        /// When the soak ends; nil when eligible now.
        public var eligibleAt: Date?
    }

    /// What `from`'s releases may go to `environment`.
    public struct Promotion: Sendable, Hashable {
        public var environment: String
        public var soak: Duration?
        public var eligible: [Candidate]
        public var waiting: [Candidate]
    }

    public struct Environment: Sendable, Hashable {
        public var name: String
        public var hosts: [HostRelease]
        /// Releases by how many hosts run them, most first.
        public var summary: [(release: String, hosts: Int)] {
            Dictionary(grouping: hosts, by: \.release).map { ($0.key, $0.value.count) }
                .sorted { ($0.1, $1.0) > ($1.1, $0.0) }
        }
        public var promotions: [Promotion]
    }

    public var app: String
    public var environments: [Environment]

    /// How many candidates each promotion lists at most (the newest).
    static let candidates = 5

    /// From the app's records (any order, every environment) and what was asked.
    public init(records: [LedgerRecord], target: ReleasesTarget, now: Date = Date()) {
        self.init(records: records, app: target.app, policy: target.policy, now: now)
    }

    /// From the app's records (any order, every environment) and the playbook's policy.
    public init(records all: [LedgerRecord], app: String, policy: PromotionPolicy = PromotionPolicy(), now: Date = Date()) {
        self.app = app
        let records = all.filter { $0.app == app }.sorted { ($0.finishedAt, $0.id ?? 0) < ($1.finishedAt, $1.id ?? 0) }
        var names = Set(records.map(\.environment))
        for rule in policy.rules.values { names.insert(rule.environment); names.insert(rule.from) }
        let ordered = names.sorted { (policy.path(to: $0).count, $0) < (policy.path(to: $1).count, $1) }
        environments = ordered.map { name in
            let mine = records.filter { $0.environment == name }
            let promotions = policy.next(after: name).compactMap { next -> Promotion? in
                guard let rule = policy.rule(for: next) else { return nil }
                return Self.promotion(of: mine, app: app, to: rule, records: records, now: now)
            }
            return Environment(name: name, hosts: Self.hosts(mine), promotions: promotions)
        }
    }

    /// Each host's release from the environment's records, oldest first: a host takes the
    /// release a record says `current` pointed at afterwards (unreachable hosts say nothing).
    static func hosts(_ records: [LedgerRecord]) -> [HostRelease] {
        var byHost: [String: HostRelease] = [:]
        var order: [String] = []
        for record in records where [.deploy, .resume, .rollback].contains(record.kind) {
            for host in record.hosts where host.state != "unreachable" {
                guard let release = host.release else { continue }
                if byHost[host.host] == nil { order.append(host.host) }
                if byHost[host.host]?.release != release {
                    byHost[host.host] = HostRelease(host: host.host, release: release, since: record.finishedAt, deployID: record.deployID)
                }
            }
        }
        return order.sorted().compactMap { byHost[$0] }
    }

    /// The newest artifacts promoted in the environment, judged by `rule` as a deploy would be.
    static func promotion(of mine: [LedgerRecord], app: String, to rule: PromotionPolicy.Rule, records: [LedgerRecord], now: Date) -> Promotion {
        var seen = Set<String>()
        var eligible: [Candidate] = []
        var waiting: [Candidate] = []
        for record in mine.reversed() where (record.kind == .deploy || record.kind == .resume) && record.outcome == .promoted {
            guard let sha = record.artifactSHA256, seen.insert(sha).inserted, seen.count <= candidates else { continue }
            let decision = PromotionGate.decide(records: records, app: app, sha256: sha, from: rule.from, soak: rule.soak, now: now)
            guard let evidence = decision.evidence, let release = evidence.release else { continue }
            let candidate = Candidate(release: release, sha256: sha, deployID: evidence.deployID, promotedAt: evidence.finishedAt, eligibleAt: decision.eligibleAt)
            if decision.allowed { eligible.append(candidate) } else if decision.eligibleAt != nil { waiting.append(candidate) }
        }
        return Promotion(environment: rule.environment, soak: rule.soak, eligible: eligible, waiting: waiting)
    }
}

/// What `cutover releases` was asked about: an app, and the promotion policy of its playbook.
public struct ReleasesTarget: Sendable {
    public var app: String
    public var policy: PromotionPolicy

    /// A playbook (a path, or a name in `Playbooks/`) gives its app and policy; an argument
    /// naming no playbook file is an app name, without a policy (no eligibility shown).
    public static func resolve(_ argument: String) throws(DiagnosticError) -> ReleasesTarget {
        let path = PlaybookLoader.playbookPath(for: argument)
        if FileManager.default.fileExists(atPath: path) {
            let playbook = try PlaybookLoader.load(argument)
            return ReleasesTarget(app: playbook.app, policy: playbook.promotion)
        }
        return ReleasesTarget(app: argument, policy: PromotionPolicy())
    }
}
