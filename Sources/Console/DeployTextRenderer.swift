import Foundation
public import Rollout

/// Deploys for people: the plan, one timestamped line per finished step, the summary and the
/// command that undoes or continues the job. Everything goes to stderr except the summary table.
public final class DeployTextRenderer: Sendable {
    private let output: TerminalOutput
    private let command: String
    private let planToStdout: Bool

    /// - Parameters:
    ///   - command: how to call Cutover again for this app (`cutover … -i inventory`), for the hints at the end.
    ///   - planToStdout: the plan is the verb's output (`cutover plan`), not progress.
    public init(output: TerminalOutput, command: String, planToStdout: Bool = false) {
        self.output = output
        self.command = command
        self.planToStdout = planToStdout
    }

    public func render(_ event: DeployEvent) {
        switch event {
        case .planned(let plan):
            let toStdout = planToStdout
            let write: (String) -> Void = { [output] line in if toStdout { output.out(line) } else { output.err(line) } }
            let title = planToStdout ? "plan" : "\(stamp()) deploy \(plan.deployID):"
            write("\(title) \(plan.app) release \(plan.release) (sha256 \(plan.artifactSHA256.prefix(12))…)")
            write("  strategy \(plan.strategy), \(plan.waves.count) wave\(plan.waves.count == 1 ? "" : "s"), up to \(plan.maxFailures) failed host\(plan.maxFailures == 1 ? "" : "s") tolerated, rollback policy \(plan.rollbackPolicy)")
            for (index, wave) in plan.waves.enumerated() {
                write("  wave \(index + 1): \(wave.joined(separator: ", "))")
            }
        case .waveStarted(let index, let count, let hosts):
            output.err("\(stamp()) wave \(index)/\(count): \(hosts.joined(separator: ", "))")
        case .step(let host, let step, let state, let detail):
            guard state != .started else { return }
            let mark = state == .failed ? "FAILED" : state.rawValue
            output.err("\(stamp()) \(host) \(step.rawValue) \(mark)\(detail.map { ": \($0)" } ?? "")")
        case .rollbackStarted(let reason, let hosts):
            output.err("\(stamp()) ROLLBACK \(hosts.joined(separator: ", ")): \(reason)")
        case .analysis(let report):
            let score = report.score.map { String(Int($0.rounded())) } ?? "-"
            output.err("\(stamp()) canary wave \(report.wave) judged \(report.verdict.uppercased()) (score \(score)): canary \(report.canary.joined(separator: ", ")) vs baseline \(report.baseline.isEmpty ? "(none)" : report.baseline.joined(separator: ", "))")
            for kpi in report.kpis { output.err("  \(kpi.classification): \(kpi.reason)") }
        case .paused(let wave, let timeout, let onTimeout):
            let base = command.replacingOccurrences(of: "cutover deploy", with: "cutover promote")
            output.err("\(stamp()) PAUSED after wave \(wave): run `\(base)` to go on or `\(base.replacingOccurrences(of: "cutover promote", with: "cutover abort"))` to roll back (\(onTimeout) after \(DurationText.describe(timeout)))")
        case .pauseAnswered(let action, let by):
            output.err("\(stamp()) \(action.uppercased()) by \(by)")
        case .hostStatus(let status):
            output.out(StatusText.line(status))
        case .finished(let report):
            renderSummary(report)
        }
    }

    private func renderSummary(_ report: DeployReport) {
        guard !report.hosts.isEmpty || report.reason != nil else { return }
        for host in report.hosts {
            output.out("\(host.host)\t\(host.state.rawValue)\t\(host.release ?? "-")\(host.detail.map { "\t\($0)" } ?? "")")
        }
        let counts = Dictionary(grouping: report.hosts, by: \.state).map { "\($0.value.count) \($0.key.rawValue)" }.sorted()
        let isDeploy = command.hasPrefix("cutover deploy")
        let headline = !isDeploy && report.outcome == .promoted ? "DONE" : report.outcome.rawValue.uppercased()
        output.err("\(stamp()) \(headline) \(report.deployID) in \(DurationText.describe(report.duration)): \(counts.joined(separator: ", "))")
        if let reason = report.reason { output.err("  reason: \(reason)") }
        guard isDeploy else { return }
        // rollback takes no artifact; resume needs the same one as the deploy.
        let rollback = command.replacingOccurrences(of: "cutover deploy", with: "cutover rollback")
            .components(separatedBy: " --artifact ").first ?? command
        let resume = command.replacingOccurrences(of: "cutover deploy", with: "cutover resume")
        let changed = report.hosts.contains { $0.state == .promoted || $0.state == .rolledBack || $0.state == .failed }
        let down = report.hosts.filter { $0.state == .unreachable }.map(\.host)
        switch report.outcome {
        case .promoted:
            output.err("  undo with: \(rollback)")
        case .partial, .notConverged, .interrupted:
            if changed {
                output.err("  finish with: \(resume)  (or undo with: \(rollback))")
            } else {
                output.err("  nothing was switched; retry with: \(resume)")
            }
            if !down.isEmpty {
                output.err("  unreachable: \(down.joined(separator: ", ")); to go on without them add --limit '\(down.map { "!" + $0 }.joined(separator: "&"))'")
            }
        case .rolledBack, .lockHeld:
            break
        }
    }

    private func stamp() -> String {
        let formatter = DateFormatter()
        formatter.dateFormat = "HH:mm:ss"
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: Date())
    }
}

/// One line per host for `cutover status`.
enum StatusText {
    static func line(_ status: HostStatusReport) -> String {
        guard status.reachable else { return "\(status.host)\tunreachable\t\(status.error ?? "")" }
        var parts = [status.host, status.current ?? "(none)", "previous \(status.previous ?? "-")", "\(status.releases.count) release\(status.releases.count == 1 ? "" : "s")"]
        if let live = status.liveSlot {
            let idle = status.slots.keys.sorted().filter { $0 != live }.map { "\($0) \(status.slots[$0] ?? "-") warm" }
            parts.append((["live slot \(live)"] + idle).joined(separator: ", "))
        }
        if let lock = status.lock { parts.append("LOCKED by \(lock["deploy"] ?? "?") (\(lock["owner"] ?? "?"))") }
        if let last = status.lastStep { parts.append("last: \(last)") }
        return parts.joined(separator: "\t")
    }
}
