import Foundation

/// `cutover history`: records newest first, as a table (with each reason under its row) or as
/// JSON Lines (one record per line, every field).
public enum HistoryRenderer {
    public static func text(_ records: [LedgerRecord]) -> [String] {
        guard !records.isEmpty else { return ["no records"] }
        var rows = [["FINISHED (UTC)", "APP", "KIND", "OUTCOME", "RELEASE", "HOSTS", "TOOK", "DEPLOY", "BY"]]
        for record in records {
            rows.append([
                LedgerText.time(record.finishedAt), record.app, record.kind.rawValue, record.outcome.rawValue,
                record.release ?? "-", hostsText(record.hosts), LedgerText.duration(record.finishedAt.timeIntervalSince(record.startedAt)),
                record.deployID, record.invoker.description,
            ])
        }
        let lines = LedgerText.table(rows)
        var output = [lines[0]]
        for (record, line) in zip(records, lines.dropFirst()) {
            output.append(line)
            if let reason = record.reason, record.outcome != .promoted { output.append("    " + reason) }
        }
        return output
    }

    public static func json(_ records: [LedgerRecord]) -> [String] {
        let encoder = LedgerText.encoder()
        return records.compactMap { (try? encoder.encode($0)).map { String(decoding: $0, as: UTF8.self) } }
    }

    /// `3` when every host ended on the same state as the run's aim, else `2/3`.
    private static func hostsText(_ hosts: [HostRecord]) -> String {
        let promoted = hosts.filter { $0.state == "promoted" || $0.state == "rolled_back" }.count
        return promoted == hosts.count ? "\(hosts.count)" : "\(promoted)/\(hosts.count)"
    }
}
