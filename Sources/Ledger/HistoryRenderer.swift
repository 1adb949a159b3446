import Foundation

/// `cutover history`: records newest first, as a table (with each reason under its row) or as
/// JSON Lines (one record per line, every field).
public enum HistoryRenderer {
    public static func text(_ records: [LedgerRecord]) -> [String] {
        guard !records.isEmpty else { return ["no records"] }
        var rows = [["FINISHED (UTC)", "APP", "ENVIRONMENT", "KIND", "OUTCOME", "RELEASE", "HOSTS", "TOOK", "DEPLOY", "BY"]]
        for record in records {
            rows.append([
                LedgerText.time(record.finishedAt), record.app, record.environment, record.kind.rawValue, outcomeText(record),
                record.release ?? "-", hostsText(record), LedgerText.duration(record.finishedAt.timeIntervalSince(record.startedAt)),
                record.deployID, record.invoker.description,
            ])
        }
        let lines = LedgerText.table(rows)
        var output = [lines[0]]
        for (record, line) in zip(records, lines.dropFirst()) {
            output.append(line)
            if let reason = record.reason, record.outcome != .promoted { output.append("    " + reason) }
            if let override = record.promotionOverride {
                output.append("    promotion policy overridden by \(record.invoker.description): \(override)")
            }
        }
        return output
    }

    public static func json(_ records: [LedgerRecord]) -> [String] {
        let encoder = LedgerText.encoder()
        return records.compactMap { (try? encoder.encode($0)).map { String(decoding: $0, as: UTF8.self) } }
    }

    /// A deploy that succeeded was promoted; a rollback, promote or abort that succeeded is done.
    private static func outcomeText(_ record: LedgerRecord) -> String {
        switch record.kind {
        case .deploy, .resume: return record.outcome.rawValue
        case .rollback, .promote, .abort: return record.outcome == .promoted ? "done" : record.outcome.rawValue
        }
    }

    /// Hosts that ended where the run aimed (the new release for a deploy, the target for a
    /// rollback): `3` when all of them did, else `1/3`.
    private static func hostsText(_ record: LedgerRecord) -> String {
        let aim = record.kind == .rollback ? "rolled_back" : "promoted"
        let reached = record.hosts.filter { $0.state == aim }.count
        return reached == record.hosts.count ? "\(reached)" : "\(reached)/\(record.hosts.count)"
    }
}
