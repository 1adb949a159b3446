import Foundation
import Rollout

/// One KPI over one canary bake: a line per host (canary and baseline in their colours), the
/// rule's bounds and the relative limit over the baseline as dashed lines, and each side's
/// aggregate as a dotted one.
struct KPIChart {
    let wave: Int
    let kpi: String
    /// The samples of this KPI in this wave, in time order.
    let samples: [ReportModel.TimedSample]
    /// The judge's result for this KPI, with the rule's thresholds (nil before a verdict).
    let result: CanaryVerdictReport.KPIResult?
    /// When the bake ended (the verdict), else the last sample.
    let end: Date?

    private let width = 560.0
    private let height = 270.0
    private let left = 58.0
    private let right = 140.0
    private let top = 14.0
    private let bottom = 32.0

    /// A horizontal line drawn across the plot.
    struct Level {
        var value: Double
        var label: String
        var colour: String
        var className: String
        var dash: String
    }

    var levels: [Level] {
        guard let result else { return [] }
        var levels: [Level] = []
        if let max = result.max {
            levels.append(Level(value: max, label: "max \(HTMLText.number(max))", colour: ChartPalette.threshold, className: "threshold threshold-max", dash: "6 4"))
        }
        if let min = result.min {
            levels.append(Level(value: min, label: "min \(HTMLText.number(min))", colour: ChartPalette.threshold, className: "threshold threshold-min", dash: "6 4"))
        }
        if let increase = result.maxIncrease, let baseline = result.baselineAggregate {
            let limit = baseline + abs(baseline) * increase
            levels.append(Level(value: limit, label: "baseline +\(HTMLText.number(increase * 100))%", colour: ChartPalette.relativeLimit,
                                className: "threshold threshold-relative", dash: "6 4"))
        }
        let aggregate = result.aggregate ?? "aggregate"
        if let canary = result.canaryAggregate {
            levels.append(Level(value: canary, label: "canary \(aggregate) \(HTMLText.number(canary))", colour: ChartPalette.canary, className: "aggregate aggregate-canary", dash: "2 3"))
        }
        if let baseline = result.baselineAggregate {
            levels.append(Level(value: baseline, label: "baseline \(aggregate) \(HTMLText.number(baseline))", colour: ChartPalette.baseline, className: "aggregate aggregate-baseline", dash: "2 3"))
        }
        return levels.filter { $0.value.isFinite }
    }

    func svg() -> String {
        guard let start = samples.first?.time else { return "<p class=\"empty\">No samples.</p>" }
        let finish = max(end ?? start, samples.last?.time ?? start)
        let duration = max(finish.timeIntervalSince(start), 0.001)
        let levels = self.levels
        let values = samples.compactMap(\.sample.value).filter(\.isFinite)
        let (low, high) = Self.range(values + levels.map(\.value))
        let plotWidth = width - left - right
        let plotHeight = height - top - bottom
        let x = { (time: Date) -> Double in left + time.timeIntervalSince(start) / duration * plotWidth }
        let y = { (value: Double) -> Double in top + (high - value) / (high - low) * plotHeight }
        let label = "\(kpi), wave \(wave): canary against baseline"
        var svg = "<svg class=\"kpi-chart\" xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\" aria-label=\"\(HTMLText.escape(label))\">\n"
        svg += "<rect x=\"\(Int(left))\" y=\"\(Int(top))\" width=\"\(Int(plotWidth))\" height=\"\(Int(plotHeight))\" fill=\"#ffffff\" stroke=\"\(ChartPalette.grid)\"/>\n"
        for tick in ChartAxis.ticks(low: low, high: high, count: 5) {
            let tickY = y(tick)
            svg += "<line x1=\"\(Int(left))\" y1=\"\(HTMLText.coordinate(tickY))\" x2=\"\(HTMLText.coordinate(left + plotWidth))\" y2=\"\(HTMLText.coordinate(tickY))\" stroke=\"\(ChartPalette.grid)\"/>\n"
            svg += "<text class=\"tick\" x=\"\(Int(left - 6))\" y=\"\(HTMLText.coordinate(tickY + 4))\" text-anchor=\"end\">\(HTMLText.escape(HTMLText.number(tick)))</text>\n"
        }
        for tick in ChartAxis.ticks(low: 0, high: duration, count: 6) {
            let tickX = left + tick / duration * plotWidth
            svg += "<text class=\"tick\" x=\"\(HTMLText.coordinate(tickX))\" y=\"\(Int(height - 12))\" text-anchor=\"middle\">\(HTMLText.escape(ChartAxis.seconds(tick)))</text>\n"
        }
        let labelYs = Self.spread(levels.map { y($0.value) + 4 }, gap: 12)
        for (level, labelY) in zip(levels, labelYs) {
            let levelY = y(level.value)
            svg += "<line class=\"\(level.className)\" x1=\"\(Int(left))\" y1=\"\(HTMLText.coordinate(levelY))\" x2=\"\(HTMLText.coordinate(left + plotWidth))\" y2=\"\(HTMLText.coordinate(levelY))\" stroke=\"\(level.colour)\" stroke-width=\"1.5\" stroke-dasharray=\"\(level.dash)\"/>\n"
            svg += "<text class=\"level-label\" x=\"\(HTMLText.coordinate(left + plotWidth + 6))\" y=\"\(HTMLText.coordinate(labelY))\" fill=\"\(level.colour)\">\(HTMLText.escape(level.label))</text>\n"
        }
        // One line per host; a sample without data breaks the line.
        var hosts: [(name: String, group: KPISample.Group)] = []
        for item in samples where !hosts.contains(where: { $0.name == item.sample.host }) {
            hosts.append((item.sample.host, item.sample.group))
        }
        for host in hosts {
            let colour = host.group == .canary ? ChartPalette.canary : ChartPalette.baseline
            var segments: [[(Double, Double)]] = [[]]
            var points: [(Double, Double, Double)] = []
            for item in samples where item.sample.host == host.name {
                guard let value = item.sample.value, value.isFinite else {
                    if !(segments.last?.isEmpty ?? true) { segments.append([]) }
                    continue
                }
                segments[segments.count - 1].append((x(item.time), y(value)))
                points.append((x(item.time), y(value), value))
            }
            for segment in segments where segment.count > 1 {
                let coordinates = segment.map { "\(HTMLText.coordinate($0.0)),\(HTMLText.coordinate($0.1))" }.joined(separator: " ")
                svg += "<polyline class=\"kpi-line kpi-\(host.group.rawValue)\" data-host=\"\(HTMLText.escape(host.name))\" points=\"\(coordinates)\" fill=\"none\" stroke=\"\(colour)\" stroke-width=\"2.5\" stroke-linejoin=\"round\"><title>\(HTMLText.escape("\(host.name) (\(host.group.rawValue))"))</title></polyline>\n"
            }
            for point in points {
                svg += "<circle class=\"kpi-point kpi-\(host.group.rawValue)\" cx=\"\(HTMLText.coordinate(point.0))\" cy=\"\(HTMLText.coordinate(point.1))\" r=\"3\" fill=\"\(colour)\"><title>\(HTMLText.escape("\(host.name): \(HTMLText.number(point.2))"))</title></circle>\n"
            }
        }
        svg += "</svg>"
        return svg
    }

    /// Label positions at least `gap` apart, each as close to its own line as that allows.
    static func spread(_ positions: [Double], gap: Double) -> [Double] {
        let order = positions.indices.sorted { positions[$0] < positions[$1] }
        var placed = positions
        var previous = -Double.infinity
        for index in order {
            placed[index] = max(positions[index], previous + gap)
            previous = placed[index]
        }
        return placed
    }

    /// The value range to plot: every value and level, a little padding, and zero when the
    /// values sit close enough to it (rates and counts read better from zero).
    static func range(_ values: [Double]) -> (Double, Double) {
        guard var low = values.min(), var high = values.max() else { return (0, 1) }
        if low > 0 && low < high * 0.5 { low = 0 }
        if high == low {
            let pad = max(abs(high) * 0.1, 1)
            return (low - pad, high + pad)
        }
        let pad = (high - low) * 0.08
        high += pad
        if low != 0 { low -= pad }
        return (low, high)
    }
}
