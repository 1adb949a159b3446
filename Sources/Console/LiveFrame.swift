import Diagnostics
import Foundation
import Rollout

/// One drawing of the live view: a header with the wave, a progress bar with the ETA, a line
/// per host (at most a screen's worth; the rest summarised by state) and the current notice.
/// Pure: the same progress, time and size give the same lines. What hosts said is shown, never
/// obeyed (``TerminalSafeText``); the colours are the frame's own escape sequences.
public struct LiveFrame: Sendable {
    public var progress: DeployProgress
    public var now: ContinuousClock.Instant
    public var columns: Int
    public var rows: Int
    public var color: Bool

    public init(progress: DeployProgress, now: ContinuousClock.Instant, columns: Int, rows: Int, color: Bool = true) {
        self.progress = progress
        self.now = now
        self.columns = columns
        self.rows = rows
        self.color = color
    }

    public var lines: [String] {
        let width = max(20, columns - 1)  // never the last column: some terminals wrap there
        var lines: [String] = []
        let wave = progress.wave > 0 ? "  wave \(progress.wave)/\(progress.waveCount)"
            : progress.waveCount > 0 ? "  pushing to \(progress.hostOrder.count) host\(progress.hostOrder.count == 1 ? "" : "s")" : ""
        let heading = progress.deployID.isEmpty ? "\(progress.verb): \(progress.hostOrder.count) host\(progress.hostOrder.count == 1 ? "" : "s")"
            : "\(progress.verb) \(progress.deployID): \(progress.title)"
        lines.append(fit(heading + wave, width, style: "1"))
        lines.append(fit(bar(width: width), width, style: nil))

        let order = progress.hostOrder
        let nameWidth = min(24, order.map(\.count).max() ?? 4)
        let room = max(1, rows - 5)
        let shown: [String]
        if order.count <= room {
            shown = order
        } else {
            // Hosts that are busy or failed first; the others are counted.
            let busy = order.filter { let p = progress.hosts[$0]?.phase; return p != nil && !p!.isFinal && p != .waiting && p != .ready }
            let failed = order.filter { progress.hosts[$0]?.phase == .failed }
            shown = Array((busy + failed).prefix(room - 1))
        }
        for name in shown {
            guard let host = progress.hosts[name] else { continue }
            lines.append(hostLine(host, nameWidth: nameWidth, width: width))
        }
        let hidden = order.filter { !shown.contains($0) }
        if !hidden.isEmpty {
            var counts: [DeployProgress.Phase: Int] = [:]
            for name in hidden { counts[progress.hosts[name]?.phase ?? .waiting, default: 0] += 1 }
            let parts = counts.sorted { $0.value > $1.value || ($0.value == $1.value && $0.key.label < $1.key.label) }
                .map { "\($0.value) \($0.key.label)" }
            lines.append(fit("  … \(hidden.count) more: " + parts.joined(separator: ", "), width, style: "2"))
        }
        if let notice = progress.notice { lines.append(fit(notice, width, style: "33")) }
        return lines
    }

    private func bar(width: Int) -> String {
        let fraction = progress.fraction(at: now)
        let elapsed = progress.started.map { now - $0 } ?? .zero
        var tail = " \(Int((fraction * 100).rounded(.down)))%  \(Self.clock(elapsed))"
        if let left = progress.remaining(at: now) { tail += ", ETA \(Self.clock(left))" }
        let barWidth = max(10, min(40, width - tail.count - 2))
        let filled = Int((fraction * Double(barWidth)).rounded(.down))
        return "[" + String(repeating: "█", count: filled) + String(repeating: "░", count: barWidth - filled) + "]" + tail
    }

    private func hostLine(_ host: DeployProgress.HostLine, nameWidth: Int, width: Int) -> String {
        let name = host.name.count > nameWidth ? String(host.name.prefix(nameWidth - 1)) + "…" : host.name.padding(toLength: nameWidth, withPad: " ", startingAt: 0)
        var text = "  \(name)  \(host.phase.label.padding(toLength: 12, withPad: " ", startingAt: 0))"
        switch host.phase {
        case .uploading:
            text += " \(Self.bytes(host.bytes)) / \(Self.bytes(host.total))"
            if host.uploadRate > 0 { text += "  \(Self.bytes(Int64(host.uploadRate)))/s" }
        case .baking:
            if let end = host.bakeEnd { text += " \(Self.clock(max(.zero, end - now))) left" }
            text += Self.kpiText(host)
        case .baseline:
            text += Self.kpiText(host)
        case .connecting, .extracting, .migrating, .staging, .switching, .checking:
            if let since = host.phaseSince { text += " \(Self.clock(max(.zero, now - since)))" }
        case .rollingBack:
            if let since = host.phaseSince { text += " \(Self.clock(max(.zero, now - since)))" }
            if let detail = host.detail { text += " \(detail)" }
        case .failed, .rolledBack:
            if let detail = host.detail { text += " \(detail)" }
        default:
            break
        }
        let style: String?
        switch host.phase {
        case .failed: style = "31"
        case .baking where !host.kpiBreaches.isEmpty: style = "31"
        case .done: style = "32"
        case .rollingBack, .rolledBack: style = "33"
        default: style = nil
        }
        return fit(text, width, style: style)
    }

    /// Makes `text` safe (secrets redacted before it is cut, controls shown), cuts it to `width`
    /// characters (one line, no wrap), then styles it: the style is the only escape sequence.
    private func fit(_ text: String, _ width: Int, style: String?) -> String {
        let redacted = SecretRedaction.redact(text).replacingOccurrences(of: "\n", with: " ")
        let flat = TerminalSafeText(inline: redacted).text
        let cut = flat.count > width ? String(flat.prefix(width - 1)) + "…" : flat
        guard color, let style else { return cut }
        return "\u{1B}[\(style)m\(cut)\u{1B}[0m"
    }

    /// `  error_rate=0.31 (over max 0.05) latency_p99=120`: each KPI's latest value, with the
    /// bound of its rule it is past, if any.
    static func kpiText(_ host: DeployProgress.HostLine) -> String {
        let kpis = host.kpis.keys.sorted().map { name -> String in
            let value = "\(name)=\(number(host.kpis[name]!))"
            guard let breach = host.kpiBreaches[name] else { return value }
            return value + " (\(breach.bound == .max ? "over max" : "under min") \(number(breach.limit)))"
        }
        return kpis.isEmpty ? "" : "  " + kpis.joined(separator: " ")
    }

    static func clock(_ duration: Duration) -> String {
        let seconds = Int(duration.components.seconds)
        if seconds >= 3600 { return "\(seconds / 3600)h\(String(format: "%02d", seconds % 3600 / 60))m" }
        if seconds >= 60 { return "\(seconds / 60)m\(String(format: "%02d", seconds % 60))s" }
        return "\(seconds)s"
    }

    static func bytes(_ count: Int64) -> String {
        let value = Double(count)
        if count >= 1 << 30 { return String(format: "%.1f GiB", value / 1_073_741_824) }
        if count >= 1 << 20 { return String(format: "%.1f MiB", value / 1_048_576) }
        if count >= 1 << 10 { return String(format: "%.1f KiB", value / 1024) }
        return "\(count) B"
    }

    static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e9 ? String(Int(value)) : String(format: "%.3g", value)
    }
}
