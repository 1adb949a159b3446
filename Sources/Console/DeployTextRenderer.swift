import Analysis
import Foundation
import Release
public import Rollout
import Synchronization

/// Deploys for people: the plan, one timestamped line per finished step, the summary and the
/// command that undoes or continues the job. Everything goes to stderr except the summary table.
public final class DeployTextRenderer: Sendable {
    private let output: TerminalOutput
    private let command: RerunCommand
    private let planToStdout: Bool
    private let history = Mutex(DeployHistory())

    /// - Parameters:
    ///   - command: how to call Cutover again for this app (`cutover … -i inventory`), for the hints at the end.
    ///   - planToStdout: the plan is the verb's output (`cutover plan`), not progress.
    public init(output: TerminalOutput, command: RerunCommand, planToStdout: Bool = false) {
        self.output = output
        self.command = command
        self.planToStdout = planToStdout
    }

    /// Keeps the event for the summary without printing it (the live view showed it).
    public func recordOnly(_ event: DeployEvent) {
        let now = ContinuousClock.now
        history.withLock { $0.record(event, at: now) }
    }

    public func render(_ event: DeployEvent) {
        recordOnly(event)
        switch event {
        case .planned(let plan):
            let toStdout = planToStdout
            let write: (String) -> Void = { [output] line in if toStdout { output.out(line) } else { output.err(line) } }
            let title = planToStdout ? "plan" : "\(Self.stamp()) deploy \(plan.deployID):"
            write("\(title) \(plan.app) release \(plan.release) (sha256 \(plan.artifactSHA256.prefix(12))…)")
            write("  strategy \(plan.strategy), \(plan.waves.count) wave\(plan.waves.count == 1 ? "" : "s"), up to \(plan.maxFailures) failed host\(plan.maxFailures == 1 ? "" : "s") tolerated, rollback policy \(plan.rollbackPolicy)")
            write("  environment \(plan.environment)" + (plan.promotionFrom.map { from in
                ", which takes only what \(from) promoted first" + (plan.promotionSoak.map { " and soaked \(DurationText.describe($0)) there" } ?? "")
            } ?? ""))
            for (index, wave) in plan.waves.enumerated() {
                write("  wave \(index + 1): \(wave.joined(separator: ", "))")
            }
        case .promotion(let check):
            switch check.decision {
            case .passed:
                output.err("\(Self.stamp()) promotion policy passed: \(check.reason)")
            case .refused:
                output.err("\(Self.stamp()) REFUSED by the promotion policy: \(check.environment) takes only what \(check.from) promoted first; \(check.reason)")
            case .overridden:
                output.err("\(Self.stamp()) promotion policy OVERRIDDEN (\(check.overrideReason ?? "")): \(check.reason)")
            }
        case .started, .check:
            break  // the plan names the deploy; step lines say how checks went
        case .rollbackFinished(let hosts, let failed):
            output.err("\(Self.stamp()) ROLLBACK \(failed.isEmpty ? "finished" : "FAILED on \(failed.joined(separator: ", "))"): \(hosts.count - failed.count) of \(hosts.count) host\(hosts.count == 1 ? "" : "s") back and verified")
        case .waveStarted(let index, let count, let hosts):
            output.err("\(Self.stamp()) wave \(index)/\(count): \(hosts.joined(separator: ", "))")
        case .step(let host, let step, let state, let detail):
            guard state != .started else { return }
            let mark = state == .failed ? "FAILED" : state.rawValue
            output.err("\(Self.stamp()) \(host) \(step.rawValue) \(mark)\(detail.map { ": \($0)" } ?? "")")
        case .uploadProgress, .kpiSample:
            break  // the live view shows these; line by line they would drown the log
        case .bakeStarted(let canary, let baseline, let duration):
            output.err("\(Self.stamp()) baking \(DurationText.describe(duration)): canary \(canary.joined(separator: ", ")) vs baseline \(baseline.isEmpty ? "(none)" : baseline.joined(separator: ", "))")
        case .rollbackStarted(let reason, let hosts):
            output.err("\(Self.stamp()) ROLLBACK \(hosts.joined(separator: ", ")): \(reason)")
        case .analysis(let report):
            output.err("\(Self.stamp()) \(Self.verdictLine(report))")
            for kpi in report.kpis { output.err("  \(kpi.classification.rawValue): \(kpi.reason)") }
        case .paused(let wave, let timeout, let onTimeout):
            // promote and abort take no artifact: the hint is the deploy's command without it.
            let promote = command.with(verb: .promote, artifact: false).text
            let abort = command.with(verb: .abort, artifact: false).text
            output.err("\(Self.stamp()) PAUSED after wave \(wave): run `\(promote)` to go on or `\(abort)` to roll back (\(onTimeout.rawValue) after \(DurationText.describe(timeout)))")
        case .pauseAnswered(let action, let by):
            output.err("\(Self.stamp()) \(action.rawValue.uppercased()) by \(by)")
        case .warning(let message, _):
            output.err("\(Self.stamp()) WARNING \(message)")
        case .hostStatus(let status):
            for line in StatusTable(rows: [status]).lines.dropFirst().dropLast() { output.out(line) }
        case .finished(let report):
            renderSummary(report, history: history.withLock { $0 })
        }
    }

    static func verdictLine(_ report: CanaryVerdictReport) -> String {
        let score = report.score.map { String(Int($0.rounded())) } ?? "-"
        return "canary wave \(report.wave) judged \(report.verdict.rawValue.uppercased()) (score \(score)): canary \(report.canary.joined(separator: ", ")) vs baseline \(report.baseline.isEmpty ? "(none)" : report.baseline.joined(separator: ", ")): \(report.reason)"
    }

    /// The table on stdout (per wave, per host: state, release, time, why), then on stderr the
    /// outcome, the verdicts with their reasons, and the command that undoes or finishes the job.
    private func renderSummary(_ report: DeployReport, history: DeployHistory) {
        guard !report.hosts.isEmpty || report.reason != nil else { return }
        for line in SummaryTable(report: report, history: history).lines { output.out(line) }
        let counts = Dictionary(grouping: report.hosts, by: \.state).map { "\($0.value.count) \($0.key.rawValue)" }.sorted()
        let isDeploy = command.verb == .deploy
        let headline = !isDeploy && report.outcome == .promoted ? "DONE" : report.outcome.rawValue.uppercased()
        let tally = counts.isEmpty ? "no host was touched" : counts.joined(separator: ", ")
        output.err("\(Self.stamp()) \(headline) \(report.deployID) in \(DurationText.describe(report.duration)): \(tally)")
        for verdict in history.verdicts {
            output.err("  verdict: wave \(verdict.wave) \(verdict.verdict.rawValue.uppercased()): \(verdict.reason)")
        }
        if let reason = report.reason { output.err("  reason: \(reason)") }
        guard isDeploy else { return }
        let next = FollowUpCommands(command: command, report: report)
        if let fixed = next.deployFixed {
            output.err("  no earlier release on \(report.withoutEarlierRelease.joined(separator: ", ")) to go back to; deploy a fixed release with: \(fixed)")
        } else if let finish = next.finish, let undo = next.undo {
            output.err("  finish with: \(finish)  (or undo with: \(undo))")
        } else if let undo = next.undo {
            output.err("  undo with: \(undo)")
        } else if let retry = next.retry {
            output.err("  nothing was switched; retry with: \(retry)")
        }
        if let limit = next.limitWithoutUnreachable {
            output.err("  unreachable: \(next.unreachable.joined(separator: ", ")); to go on without them add \(limit)")
        }
        if let status = next.status {
            output.err("  the touched hosts are back on their previous release; check with: \(status)")
        }
        if let unlock = next.unlock {
            output.err("  wait for it with --lock-wait SECONDS, or if it is dead: \(unlock)")
        }
    }

    /// Wall-clock time for plain log lines (UTC, like the hosts' journals).
    static func stamp() -> String {
        var now = time(nil)
        var parts = tm()
        gmtime_r(&now, &parts)
        return String(format: "%02d:%02d:%02d", parts.tm_hour, parts.tm_min, parts.tm_sec)
    }
}

/// The summary table: hosts grouped by the wave that switched them, with durations.
///
/// Above ``compactAbove`` hosts the hosts that ended well are counted per wave (with their
/// release and the range of their times) and only the others listed, at most
/// ``listedPerGroup`` per wave: a 1,000-host deploy summarises in a screen, its failures first.
struct SummaryTable {
    let report: DeployReport
    let history: DeployHistory
    var compactAbove = 40
    var listedPerGroup = 20

    var lines: [String] {
        var groups: [(title: String?, hosts: [DeployReport.HostResult])] = []
        var placed = Set<String>()
        let byName = Dictionary(report.hosts.map { ($0.host, $0) }, uniquingKeysWith: { first, _ in first })
        for wave in history.waves {
            let members = wave.hosts.compactMap { byName[$0] }.filter { !placed.contains($0.host) }
            guard !members.isEmpty else { continue }
            placed.formUnion(members.map(\.host))
            let time = history.duration(of: wave).map { "  \(DurationText.describe($0))" } ?? ""
            groups.append(("wave \(wave.index)/\(wave.count)\(time)", members))
        }
        let rest = report.hosts.filter { !placed.contains($0.host) }
        if !rest.isEmpty { groups.append((history.waves.isEmpty ? nil : "not switched", rest)) }

        let nameWidth = report.hosts.map(\.host.count).max() ?? 0
        let stateWidth = report.hosts.map(\.state.rawValue.count).max() ?? 0
        let releaseWidth = report.hosts.map { ($0.release ?? "-").count }.max() ?? 0
        var lines: [String] = []
        let compact = report.hosts.count > compactAbove
        for group in groups {
            if let title = group.title { lines.append(title) }
            var shown = group.hosts
            var more: String?
            if compact {
                let well = group.hosts.filter { $0.state == .promoted || $0.state == .unchanged }
                lines += countLines(well)
                shown = group.hosts.filter { $0.state != .promoted && $0.state != .unchanged }
                if shown.count > listedPerGroup {
                    let byState = Dictionary(grouping: shown.dropFirst(listedPerGroup), by: \.state).map { "\($0.value.count) \($0.key.rawValue)" }.sorted()
                    shown = Array(shown.prefix(listedPerGroup))
                    more = "  … \(byState.joined(separator: ", ")) more (`cutover status` or --output json lists every host)"
                }
            }
            for host in shown {
                let time = history.duration(of: host.host).map(DurationText.describe) ?? "-"
                var line = [host.host.padded(nameWidth), host.state.rawValue.padded(stateWidth),
                            (host.release ?? "-").padded(releaseWidth), time.padded(8)].joined(separator: "  ")
                if let detail = host.detail { line += "  " + detail }
                while line.last == " " { line.removeLast() }
                lines.append("  " + line)
            }
            if let more { lines.append(more) }
        }
        return lines
    }

    /// `  37 promoted on 1.4.2-3fa2c09be1d4  1.1 s – 2.3 s`: hosts that ended alike, by state and release.
    private func countLines(_ hosts: [DeployReport.HostResult]) -> [String] {
        let groups = Dictionary(grouping: hosts) { "\($0.state.rawValue) on \($0.release ?? "-")" }
        return groups.keys.sorted().map { key in
            let times = groups[key]!.compactMap { history.duration(of: $0.host) }
            let range = times.min().map { low in
                let high = times.max() ?? low
                return low == high ? "  \(DurationText.describe(low))" : "  \(DurationText.describe(low)) – \(DurationText.describe(high))"
            } ?? ""
            return "  \(groups[key]!.count) \(key)\(range)"
        }
    }
}

private extension String {
    func padded(_ width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }
}

/// `cutover status` as a table with a header, and a fleet summary under it
/// (`6/6 on 1.5.0-3fa2c09be1d4` or `4 on 1.5.0-…, 1 on 1.4.0-…, 1 unreachable`).
public struct StatusTable: Sendable {
    public var rows: [HostStatusReport] = []

    public init(rows: [HostStatusReport] = []) { self.rows = rows }

    public var lines: [String] {
        let header = ["HOST", "CURRENT", "PREVIOUS", "RELEASES", "STATE"]
        var table = [header]
        for status in rows {
            guard status.reachable else {
                table.append([status.host, "-", "-", "-", "unreachable: \(status.error ?? "no answer")"])
                continue
            }
            var state: [String] = []
            if let live = status.liveSlot {
                let idle = status.slots.keys.sorted().filter { $0 != live }.map { "\($0) \(status.slots[$0] ?? "-") warm" }
                state.append((["live slot \(live)"] + idle).joined(separator: ", "))
            }
            if let lock = status.lock { state.append("LOCKED by \(LeaseText.describe(lock))") }
            if let last = status.lastStep { state.append("last: \(last)") }
            table.append([status.host, status.current ?? "(none)", status.previous ?? "-", String(status.releases.count),
                          state.isEmpty ? "ok" : state.joined(separator: "; ")])
        }
        let widths = (0..<header.count - 1).map { column in table.map { $0[column].count }.max() ?? 0 }
        var lines: [String] = []
        for (index, row) in table.enumerated() {
            var line = zip(row.dropLast(), widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }.joined(separator: "  ")
            line += "  " + (row.last ?? "")
            lines.append(line)
            // What Cutover did not make and ignores: one line each, under the host's.
            if index > 0 { lines += rows[index - 1].unrecognised.map { "  unrecognised entry (ignored): \($0)" } }
        }
        lines.append(summary)
        return lines
    }

    /// How many hosts run what, most first; unreachable hosts counted apart.
    public var summary: String {
        let reachable = rows.filter(\.reachable)
        var counts: [String: Int] = [:]
        for status in reachable { counts[status.current ?? "(no release)", default: 0] += 1 }
        let down = rows.count - reachable.count
        if counts.count == 1, let only = counts.first, down == 0 { return "\(only.value)/\(rows.count) on \(only.key)" }
        var parts = counts.sorted { $0.value > $1.value || ($0.value == $1.value && $0.key < $1.key) }.map { "\($0.value) on \($0.key)" }
        if down > 0 { parts.append("\(down) unreachable") }
        return parts.isEmpty ? "no hosts" : parts.joined(separator: ", ")
    }
}
