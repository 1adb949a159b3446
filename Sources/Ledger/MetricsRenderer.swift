import Foundation

/// `cutover metrics`: the four DORA metrics as lines of text or one JSON object.
public enum MetricsRenderer {
    public static func text(_ metrics: DORAMetrics) -> [String] {
        let days = metrics.windowEnd.timeIntervalSince(metrics.windowStart) / 86_400
        var lines = ["DORA metrics for \(metrics.app ?? "every app")\(metrics.environment.map { " in \($0)" } ?? ""), \(LedgerText.time(metrics.windowStart)) to \(LedgerText.time(metrics.windowEnd)) UTC "
            + "(\(number(days)) days, \(metrics.records) ledger record\(metrics.records == 1 ? "" : "s"))"]
        var rows: [[String]] = []
        rows.append(["deployment frequency",
                     "\(number(metrics.deploysPerDay)) per day, \(number(metrics.deploysPerWeek)) per week (\(metrics.promotedDeploys) promoted deploy\(metrics.promotedDeploys == 1 ? "" : "s"))"])
        rows.append(["lead time for changes", metrics.leadTimeMedian.map {
            "median \(LedgerText.duration($0)) from build to promotion (\(metrics.leadTimeSamples) of \(metrics.promotedDeploys) artifacts carry a build time)"
        } ?? "unknown: no promoted artifact carries a build time (.cutover-build)"])
        rows.append(["change failure rate", metrics.changeFailureRate.map {
            "\(number($0 * 100))% (\(metrics.failedChanges) of \(metrics.changes) changes rolled back or failed)"
        } ?? "unknown: no deploy changed anything"])
        rows.append(["time to restore", metrics.timeToRestoreMedian.map {
            "median \(LedgerText.duration($0)) from failed gate to verified rollback (\(metrics.restores) rollback\(metrics.restores == 1 ? "" : "s"))"
        } ?? "unknown: no automatic rollback in the window"])
        lines += LedgerText.table(rows).map { "  " + $0 }
        return lines
    }

    public static func json(_ metrics: DORAMetrics) -> String {
        (try? LedgerText.encoder().encode(metrics)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }

    /// At most two decimals, no trailing zeros: `0.43`, `3`, `12.5`.
    static func number(_ value: Double) -> String {
        var text = String(format: "%.2f", value)
        while text.contains("."), text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }
}
