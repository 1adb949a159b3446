import Diagnostics
import Foundation

/// The `records` table's columns in one order, shared by both stores, and how a record maps
/// to them and back. Times are `time` fields: REAL Unix seconds in SQLite, `timestamptz` in PostgreSQL.
enum RecordColumns {
    enum Field: Sendable, Hashable {
        case text(String?)
        case time(Date?)
    }

    /// Column names after `id`, in order.
    static let names = [
        "deploy_id", "kind", "app", "release_id", "version", "artifact_sha256", "artifact_built_at",
        "artifact_build_time_source", "strategy", "outcome", "reason", "started_at", "finished_at",
        "gate_failed_at", "rollback_verified_at", "user_name", "machine", "ci_system", "ci_job", "ci_url",
        "environment", "promotion_override",
    ]

    /// Which of `names` hold times.
    static let times: Set<String> = ["artifact_built_at", "started_at", "finished_at", "gate_failed_at", "rollback_verified_at"]

    /// Longest reason or host detail kept: enough for a diagnosis, not a whole log.
    static let maxTextLength = 2000

    static func fields(_ record: LedgerRecord) -> [Field] {
        [
            .text(record.deployID), .text(record.kind.rawValue), .text(record.app), .text(record.release),
            .text(record.version), .text(record.artifactSHA256), .time(record.artifactBuiltAt),
            .text(record.artifactBuildTimeSource), .text(record.strategy), .text(record.outcome.rawValue),
            .text(record.reason.map(clip)), .time(record.startedAt), .time(record.finishedAt),
            .time(record.gateFailedAt), .time(record.rollbackVerifiedAt), .text(record.invoker.user),
            .text(record.invoker.machine), .text(record.invoker.ciSystem), .text(record.invoker.ciJob),
            .text(record.invoker.ciURL), .text(record.environment), .text(record.promotionOverride.map(clip)),
        ]
    }

    /// A record from a row read in `names` order (after the id).
    static func record(id: Int64, text: (Int) -> String?, time: (Int) -> Date?) throws(LedgerError) -> LedgerRecord {
        guard let kind = text(1).flatMap(LedgerRecord.Kind.init(rawValue:)) else {
            throw LedgerError("record \(id) has an unknown kind '\(text(1) ?? "")'")
        }
        guard let outcome = text(9).flatMap(LedgerRecord.Outcome.init(rawValue:)) else {
            throw LedgerError("record \(id) has an unknown outcome '\(text(9) ?? "")'")
        }
        guard let started = time(11), let finished = time(12) else {
            throw LedgerError("record \(id) has no start or finish time")
        }
        return LedgerRecord(
            id: id, deployID: text(0) ?? "", kind: kind, app: text(2) ?? "", release: text(3), version: text(4),
            artifactSHA256: text(5), artifactBuiltAt: time(6), artifactBuildTimeSource: text(7), strategy: text(8),
            outcome: outcome, reason: text(10), startedAt: started, finishedAt: finished, gateFailedAt: time(13),
            rollbackVerifiedAt: time(14),
            invoker: Invoker(user: text(15) ?? "", machine: text(16) ?? "", ciSystem: text(17), ciJob: text(18), ciURL: text(19)),
            environment: text(20) ?? EnvironmentName.unnamed, promotionOverride: text(21))
    }

    /// A host's columns after `record_id` and `position`: host, state, release_id, detail.
    static func hostFields(_ host: HostRecord) -> [String?] {
        [host.host, host.state, host.release, host.detail.map(clip)]
    }

    static func clip(_ text: String) -> String {
        text.count <= maxTextLength ? text : String(text.prefix(maxTextLength)) + "…"
    }
}
