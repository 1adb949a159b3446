import Analysis
import Foundation
import Rollout

/// The run as a Gantt chart: a row per host (grouped by wave), a bar per step from its start
/// to its end, the canary bakes behind them, and lines where waves and rollbacks began.
struct GanttChart {
    let model: ReportModel

    private let width = 1180.0
    private let labelWidth = 170.0
    private let rightPad = 24.0
    private let top = 34.0
    private let rowHeight = 22.0
    private let barHeight = 14.0

    /// Hosts in plan order (wave by wave), then any others as they appeared.
    var rows: [String] {
        var ordered = model.plan?.waves.flatMap { $0 } ?? []
        for host in model.hosts where !ordered.contains(host) { ordered.append(host) }
        return ordered
    }

    func svg() -> String {
        guard let start = model.firstTime, let end = model.endTime, !rows.isEmpty else {
            return "<p class=\"empty\">No host steps were recorded.</p>"
        }
        let rows = self.rows
        let total = max(end.timeIntervalSince(start), 0.001)
        let plotWidth = width - labelWidth - rightPad
        let height = top + Double(rows.count) * rowHeight + 12
        let x = { (time: Date) -> Double in labelWidth + time.timeIntervalSince(start) / total * plotWidth }
        let y = { (host: String) -> Double in top + Double(rows.firstIndex(of: host) ?? 0) * rowHeight }
        var svg = "<svg class=\"gantt\" xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\" aria-label=\"Timeline of hosts and steps\">\n"

        // Rows: shaded per wave, labelled with the host and its wave.
        for (index, host) in rows.enumerated() {
            let wave = model.wave(of: host)
            let shade = (wave ?? 0) % 2 == 1 ? "#f8f9fa" : "#ffffff"
            let rowY = top + Double(index) * rowHeight
            svg += "<rect x=\"0\" y=\"\(HTMLText.coordinate(rowY))\" width=\"\(Int(width))\" height=\"\(Int(rowHeight))\" fill=\"\(shade)\"/>\n"
            svg += "<text class=\"host-label\" x=\"8\" y=\"\(HTMLText.coordinate(rowY + 15))\">\(HTMLText.escape(host))</text>\n"
            if let wave {
                svg += "<text class=\"wave-label\" x=\"\(Int(labelWidth - 8))\" y=\"\(HTMLText.coordinate(rowY + 15))\" text-anchor=\"end\">w\(wave)</text>\n"
            }
        }

        // Time axis and grid.
        for tick in ChartAxis.ticks(low: 0, high: total, count: 10) {
            let tickX = labelWidth + tick / total * plotWidth
            svg += "<line x1=\"\(HTMLText.coordinate(tickX))\" y1=\"\(Int(top - 4))\" x2=\"\(HTMLText.coordinate(tickX))\" y2=\"\(HTMLText.coordinate(height - 12))\" stroke=\"\(ChartPalette.grid)\"/>\n"
            svg += "<text class=\"tick\" x=\"\(HTMLText.coordinate(tickX))\" y=\"\(Int(top - 8))\" text-anchor=\"middle\">\(HTMLText.escape(ChartAxis.seconds(tick)))</text>\n"
        }

        // Canary bakes, behind the bars: from the bake's start to its verdict (else its planned end).
        for bake in model.bakes {
            let verdict = model.verdicts.first { $0.time >= bake.time }
            let finish = verdict?.time ?? min(end, bake.time.addingTimeInterval(Double(bake.duration.components.seconds)))
            let judged = verdict.map { ", wave \($0.report.wave), judged \($0.report.verdict.rawValue)" } ?? ""
            for host in bake.canary where rows.contains(host) {
                svg += "<rect class=\"bake\" x=\"\(HTMLText.coordinate(x(bake.time)))\" y=\"\(HTMLText.coordinate(y(host) + (rowHeight - barHeight) / 2))\" width=\"\(HTMLText.coordinate(max(2, x(finish) - x(bake.time))))\" height=\"\(Int(barHeight))\" fill=\"\(ChartPalette.bake)\" stroke=\"\(ChartPalette.canary)\" stroke-dasharray=\"3 2\"><title>\(HTMLText.escape("\(host): canary bake\(judged)"))</title></rect>\n"
            }
        }

        // Step bars.
        for span in model.spans where rows.contains(span.host) {
            let finish = span.end ?? end
            let barX = x(span.start)
            let barWidth = max(2, x(finish) - barX)
            let fill = span.state == .failed ? ChartPalette.failed : span.state == .skipped ? ChartPalette.skipped : ChartPalette.step(span.step)
            let seconds = finish.timeIntervalSince(span.start)
            var title = "\(span.host) \(span.step.rawValue) \(span.end == nil ? "unfinished" : span.state.rawValue) (\(DurationText.describe(.milliseconds(Int(seconds * 1000)))))"
            if let detail = span.detail { title += ": \(detail)" }
            svg += "<rect class=\"bar step-\(span.step.rawValue) state-\(span.state.rawValue)\" data-host=\"\(HTMLText.escape(span.host))\" x=\"\(HTMLText.coordinate(barX))\" y=\"\(HTMLText.coordinate(y(span.host) + (rowHeight - barHeight) / 2))\" width=\"\(HTMLText.coordinate(barWidth))\" height=\"\(Int(barHeight))\" rx=\"2\" fill=\"\(fill)\"><title>\(HTMLText.escape(title))</title></rect>\n"
        }

        // Where waves and rollbacks began.
        for wave in model.waves {
            let lineX = x(wave.time)
            svg += "<line class=\"wave-start\" x1=\"\(HTMLText.coordinate(lineX))\" y1=\"\(Int(top))\" x2=\"\(HTMLText.coordinate(lineX))\" y2=\"\(HTMLText.coordinate(height - 12))\" stroke=\"\(ChartPalette.wave)\" stroke-dasharray=\"4 3\"/>\n"
            let nearEnd = lineX > width - rightPad - 50
            svg += "<text class=\"marker\" x=\"\(HTMLText.coordinate(nearEnd ? lineX - 3 : lineX + 3))\" y=\"\(HTMLText.coordinate(height - 2))\" text-anchor=\"\(nearEnd ? "end" : "start")\">wave \(wave.index)</text>\n"
        }
        for rollback in model.rollbacks {
            let lineX = x(rollback.time)
            svg += "<line class=\"rollback-start\" x1=\"\(HTMLText.coordinate(lineX))\" y1=\"\(Int(top))\" x2=\"\(HTMLText.coordinate(lineX))\" y2=\"\(HTMLText.coordinate(height - 12))\" stroke=\"\(ChartPalette.rollback)\" stroke-width=\"2\"><title>\(HTMLText.escape("rollback: \(rollback.reason)"))</title></line>\n"
            let nearEnd = lineX > width - rightPad - 60
            svg += "<text class=\"marker rollback\" x=\"\(HTMLText.coordinate(nearEnd ? lineX - 3 : lineX + 3))\" y=\"\(HTMLText.coordinate(height - 2))\" text-anchor=\"\(nearEnd ? "end" : "start")\" fill=\"\(ChartPalette.rollback)\">rollback</text>\n"
        }
        svg += "</svg>"
        return svg
    }

    /// The steps that appear, for the legend.
    var legend: [(name: String, colour: String)] {
        var seen: [DeployStep] = []
        for span in model.spans where !seen.contains(span.step) { seen.append(span.step) }
        var items = DeployStep.allCases.filter(seen.contains).map { ($0.rawValue, ChartPalette.step($0)) }
        if model.spans.contains(where: { $0.state == .failed }) { items.append(("failed", ChartPalette.failed)) }
        if model.spans.contains(where: { $0.state == .skipped }) { items.append(("skipped", ChartPalette.skipped)) }
        if !model.bakes.isEmpty { items.append(("canary bake", ChartPalette.bake)) }
        return items
    }
}
