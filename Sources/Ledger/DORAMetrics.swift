public import Foundation

/// The four DORA metrics over a window of ledger records.
///
/// - Deployment frequency: promoted deploys (a deploy or a resume whose outcome is `promoted`,
///   once per deploy id) per day and per week of the window.
/// - Lead time for changes: artifact build time → promotion (the deploy's finish), median over
///   the promoted deploys whose artifact carries a build time.
/// - Change failure rate: failed changes / changes. A change is a deploy id whose last record
///   is promoted, partial, rolled back or not converged (lock-held and interrupted runs changed
///   nothing). It failed when it ended rolled back or not converged, or when a later `cutover
///   rollback` of the same app took it off (see `LandedReleases`).
/// - Time to restore: the first failed gate → the rollback verified on the last host, median over
///   the deploys that were rolled back automatically (or aborted).
///
/// Metrics are per app and environment: a staging deploy is not a production change. With no
/// environment given, every environment's deploys count, and a rollback undoes only changes of
/// its own environment.
public struct DORAMetrics: Sendable, Hashable, Codable {
    public var app: String?
    /// The environment measured; nil: every environment.
    public var environment: String?
    public var windowStart: Date
    public var windowEnd: Date
    public var records: Int
    public var promotedDeploys: Int
    public var deploysPerDay: Double
    public var deploysPerWeek: Double
    /// Median seconds from build to promotion; nil when no promoted artifact carries a build time.
    public var leadTimeMedian: Double?
    public var leadTimeSamples: Int
    public var changes: Int
    public var failedChanges: Int
    /// failedChanges / changes; nil without changes.
    public var changeFailureRate: Double?
    /// Median seconds from the failed gate to the verified rollback.
    public var timeToRestoreMedian: Double?
    public var restores: Int

    enum CodingKeys: String, CodingKey {
        case app, environment, records, changes, restores
        case windowStart = "window_start"
        case windowEnd = "window_end"
        case promotedDeploys = "promoted_deploys"
        case deploysPerDay = "deploys_per_day"
        case deploysPerWeek = "deploys_per_week"
        case leadTimeMedian = "lead_time_median_seconds"
        case leadTimeSamples = "lead_time_samples"
        case failedChanges = "failed_changes"
        case changeFailureRate = "change_failure_rate"
        case timeToRestoreMedian = "time_to_restore_median_seconds"
    }

    /// Every key, unknown values as null.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(app, forKey: .app)
        try container.encode(environment, forKey: .environment)
        try container.encode(windowStart, forKey: .windowStart)
        try container.encode(windowEnd, forKey: .windowEnd)
        try container.encode(records, forKey: .records)
        try container.encode(promotedDeploys, forKey: .promotedDeploys)
        try container.encode(deploysPerDay, forKey: .deploysPerDay)
        try container.encode(deploysPerWeek, forKey: .deploysPerWeek)
        try container.encode(leadTimeMedian, forKey: .leadTimeMedian)
        try container.encode(leadTimeSamples, forKey: .leadTimeSamples)
        try container.encode(changes, forKey: .changes)
        try container.encode(failedChanges, forKey: .failedChanges)
        try container.encode(changeFailureRate, forKey: .changeFailureRate)
        try container.encode(timeToRestoreMedian, forKey: .timeToRestoreMedian)
        try container.encode(restores, forKey: .restores)
    }

    /// Computes the metrics of `records` (any order) for the window `start`…`end`, of one app
    /// and one environment when they are given.
    public init(records all: [LedgerRecord], app: String?, environment: String? = nil, from start: Date, to end: Date) {
        let records = all.filter {
            $0.finishedAt >= start && $0.finishedAt <= end && (app == nil || $0.app == app) && (environment == nil || $0.environment == environment)
        }.sorted { ($0.finishedAt, $0.id ?? 0) < ($1.finishedAt, $1.id ?? 0) }
        self.app = app
        self.environment = environment
        windowStart = start
        windowEnd = end
        self.records = records.count

        // The last record of each deploy id stands for it (a resume finishes what a deploy began).
        var latest: [String: LedgerRecord] = [:]
        var order: [String] = []
        for record in records where record.kind == .deploy || record.kind == .resume {
            if latest[record.deployID] == nil { order.append(record.deployID) }
            latest[record.deployID] = record
        }
        let deploys = order.compactMap { latest[$0] }
        let promoted = deploys.filter { $0.outcome == .promoted }
        promotedDeploys = promoted.count
        let days = max(end.timeIntervalSince(start), 1) / 86_400
        deploysPerDay = Double(promoted.count) / days
        deploysPerWeek = deploysPerDay * 7

        let leadTimes = promoted.compactMap { record in record.artifactBuiltAt.map { record.finishedAt.timeIntervalSince($0) } }
            .filter { $0 >= 0 }
        leadTimeMedian = Self.median(leadTimes)
        leadTimeSamples = leadTimes.count

        let changed = deploys.filter { [.promoted, .partial, .rolledBack, .notConverged].contains($0.outcome) }
        // Deploys a `cutover rollback` undid (after they were promoted) failed too.
        var failed = Set(changed.filter { $0.outcome == .rolledBack || $0.outcome == .notConverged }.map(\.deployID))
        for fleet in Set(records.map { [$0.app, $0.environment] }) {
            failed.formUnion(LandedReleases(records.filter { [$0.app, $0.environment] == fleet }).undone.map(\.deployID))
        }
        changes = changed.count
        failedChanges = changed.filter { failed.contains($0.deployID) }.count
        changeFailureRate = changes == 0 ? nil : Double(failedChanges) / Double(changes)

        let restoreTimes = deploys.compactMap { record -> Double? in
            guard record.outcome == .rolledBack, let failedAt = record.gateFailedAt, let verified = record.rollbackVerifiedAt else { return nil }
            return max(0, verified.timeIntervalSince(failedAt))
        }
        timeToRestoreMedian = Self.median(restoreTimes)
        restores = restoreTimes.count
    }

    /// The middle value (the mean of the two middle ones for an even count); nil when empty.
    static func median(_ values: [Double]) -> Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }
}
