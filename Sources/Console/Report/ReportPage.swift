import Analysis
import Foundation
import Rollout

/// The HTML document: header with the outcome and the commands to undo or continue, the
/// timeline, the canary analysis with its KPI charts, per-host outcomes, checks and rollbacks.
/// Everything is inline (CSS and SVG); every string from the run is escaped.
struct ReportPage {
    let model: ReportModel
    /// How the run was called (`cutover deploy web -i prod …`), for the follow-up commands.
    let command: RerunCommand

    func html() -> String {
        let title = [model.start?.app ?? model.plan?.app, model.plan?.release ?? model.finished?.report.release].compactMap { $0 }.joined(separator: " ")
        var page = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        page += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        page += "<title>\(HTMLText.escape("cutover \(model.start?.operation.rawValue ?? "deploy") \(title)"))</title>\n"
        page += "<style>\n\(ReportStyle.css)\n</style>\n</head>\n<body>\n"
        page += header(title: title)
        page += timeline()
        page += analysis()
        page += hostsTable()
        page += checksTable()
        page += rollbacks()
        page += "<footer>Written by Cutover at \(HTMLText.escape(Self.clock(Date()))) from \(model.spans.count) steps, \(model.checks.count) checks and \(model.samples.count) KPI samples.</footer>\n"
        page += "</body>\n</html>\n"
        return page
    }

    private func header(title: String) -> String {
        let operation = model.start?.operation.rawValue ?? "deploy"
        var html = "<header>\n<h1>\(HTMLText.escape("cutover \(operation)")) \(HTMLText.escape(title))"
        if let report = model.finished?.report {
            html += " <span class=\"badge outcome \(Self.tone(report.outcome))\">\(HTMLText.escape(report.outcome.rawValue.replacingOccurrences(of: "_", with: " ")))</span>"
        } else {
            html += " <span class=\"badge outcome neutral\">unfinished</span>"
        }
        html += "</h1>\n<dl class=\"facts\">\n"
        var facts: [(String, String)] = []
        if let id = model.start?.deployID ?? model.plan?.deployID ?? model.finished?.report.deployID { facts.append(("deploy", id)) }
        if let plan = model.plan {
            facts.append(("strategy", plan.strategy))
            facts.append(("sha256", String(plan.artifactSHA256.prefix(16)) + "…"))
            facts.append(("waves", plan.waves.enumerated().map { "\($0.offset + 1): \($0.element.joined(separator: ", "))" }.joined(separator: " · ")))
            facts.append(("rollback policy", plan.rollbackPolicy))
            facts.append(("failure budget", "\(plan.maxFailures) host\(plan.maxFailures == 1 ? "" : "s")"))
        }
        if let first = model.firstTime { facts.append(("started", Self.clock(first))) }
        if let report = model.finished?.report { facts.append(("duration", DurationText.describe(report.duration))) }
        for (name, value) in facts {
            html += "<dt>\(HTMLText.escape(name))</dt><dd>\(HTMLText.escape(value))</dd>\n"
        }
        html += "</dl>\n"
        if let report = model.finished?.report {
            if let reason = report.reason {
                html += "<div class=\"reason\">\(HTMLText.escape(reason))</div>\n"
            }
            let next = FollowUpCommands(command: command, report: report)
            var commands: [(String, String)] = []
            if let fixed = next.deployFixed { commands.append(("No earlier release to go back to; deploy a fixed release", fixed)) }
            if let finish = next.finish { commands.append(("Finish the deploy", finish)) }
            if let retry = next.retry { commands.append(("Nothing was switched; retry", retry)) }
            if let undo = next.undo { commands.append(("Roll back", undo)) }
            if let limit = next.limitWithoutUnreachable {
                commands.append(("Unreachable: \(next.unreachable.joined(separator: ", ")); to go on without them add", limit))
            }
            if !commands.isEmpty {
                html += "<dl class=\"next\">\n"
                for (label, text) in commands {
                    html += "<dt>\(HTMLText.escape(label)):</dt><dd><pre class=\"command\">\(HTMLText.escape(text))</pre></dd>\n"
                }
                html += "</dl>\n"
            }
        }
        return html + "</header>\n"
    }

    private func timeline() -> String {
        let chart = GanttChart(model: model)
        var html = "<section id=\"timeline\">\n<h2>Timeline</h2>\n\(chart.svg())\n<ul class=\"legend\">"
        for item in chart.legend {
            html += "<li><i style=\"background:\(item.colour)\"></i>\(HTMLText.escape(item.name))</li>"
        }
        if !model.waves.isEmpty { html += "<li><i class=\"dashed\" style=\"border-color:\(ChartPalette.wave)\"></i>wave start</li>" }
        if !model.rollbacks.isEmpty { html += "<li><i class=\"line\" style=\"background:\(ChartPalette.rollback)\"></i>rollback</li>" }
        return html + "</ul>\n</section>\n"
    }

    private func analysis() -> String {
        // Every (wave, KPI) that was sampled, in order, with the verdict of its wave when there is one.
        var keys: [(wave: Int, kpi: String)] = []
        for item in model.samples where !keys.contains(where: { $0.wave == item.sample.wave && $0.kpi == item.sample.kpi }) {
            keys.append((item.sample.wave, item.sample.kpi))
        }
        let waves = Array(Set(keys.map(\.wave) + model.verdicts.map(\.report.wave))).sorted()
        guard !waves.isEmpty else { return "" }
        var html = "<section id=\"analysis\">\n<h2>Canary analysis</h2>\n"
        html += "<ul class=\"legend\"><li><i class=\"line\" style=\"background:\(ChartPalette.canary)\"></i>canary hosts (new release)</li><li><i class=\"line\" style=\"background:\(ChartPalette.baseline)\"></i>baseline hosts (old release)</li><li><i class=\"dashed\" style=\"border-color:\(ChartPalette.threshold)\"></i>bound (max / min)</li><li><i class=\"dashed\" style=\"border-color:\(ChartPalette.relativeLimit)\"></i>limit over the baseline</li></ul>\n"
        for wave in waves {
            let verdict = model.verdicts.last { $0.report.wave == wave }
            html += "<h3>Wave \(wave)"
            if let report = verdict?.report {
                let score = report.score.map { " (score \(Int($0.rounded())))" } ?? ""
                html += ": <span class=\"badge verdict \(Self.tone(verdict: report.verdict))\">\(HTMLText.escape(report.verdict.rawValue))</span>\(HTMLText.escape(score))</h3>\n"
                html += "<p>canary \(HTMLText.escape(report.canary.joined(separator: ", "))) against baseline \(HTMLText.escape(report.baseline.isEmpty ? "(none)" : report.baseline.joined(separator: ", ")))</p>\n"
                html += "<div class=\"reason\(report.verdict == .pass ? " ok" : "")\">\(HTMLText.escape(report.reason))</div>\n"
            } else {
                html += ": <span class=\"badge verdict neutral\">no verdict</span></h3>\n"
            }
            html += "<div class=\"charts\">\n"
            var names = keys.filter { $0.wave == wave }.map(\.kpi)
            for kpi in verdict?.report.kpis ?? [] where !names.contains(kpi.name) { names.append(kpi.name) }
            for name in names {
                let result = verdict?.report.kpis.first { $0.name == name }
                let chart = KPIChart(wave: wave, kpi: name, samples: model.samples.filter { $0.sample.wave == wave && $0.sample.kpi == name },
                                     result: result, end: verdict?.time)
                html += "<div class=\"kpi\">\n<h3>\(HTMLText.escape(name))"
                if let result {
                    html += " <span class=\"badge \(result.classification == .pass ? "good" : "bad")\">\(HTMLText.escape(result.classification.rawValue.replacingOccurrences(of: "_", with: " ")))</span>"
                    if result.critical { html += " <span class=\"badge neutral\">critical</span>" }
                }
                html += "</h3>\n\(chart.svg())\n"
                if let result { html += "<p>\(HTMLText.escape(result.reason))</p>\n" }
                html += "</div>\n"
            }
            html += "</div>\n"
        }
        return html + "</section>\n"
    }

    private func hostsTable() -> String {
        guard let report = model.finished?.report, !report.hosts.isEmpty else { return "" }
        var html = "<section id=\"hosts\">\n<h2>Hosts</h2>\n<table>\n<thead><tr><th>host</th><th>wave</th><th>outcome</th><th>release now</th><th>detail</th></tr></thead>\n<tbody>\n"
        for host in report.hosts {
            let tone = Self.tone(host.state)
            html += "<tr><td>\(HTMLText.escape(host.host))</td><td>\(model.wave(of: host.host).map(String.init) ?? "–")</td>"
            html += "<td><span class=\"badge host-state \(tone)\">\(HTMLText.escape(host.state.rawValue.replacingOccurrences(of: "_", with: " ")))</span></td>"
            html += "<td>\(HTMLText.escape(host.release ?? "–"))</td><td class=\"detail\">\(HTMLText.escape(host.detail ?? ""))</td></tr>\n"
        }
        return html + "</tbody>\n</table>\n</section>\n"
    }

    private func checksTable() -> String {
        guard !model.checks.isEmpty else { return "" }
        var html = "<section id=\"checks\">\n<h2>Checks</h2>\n<table>\n<thead><tr><th>host</th><th>step</th><th>check</th><th>result</th><th>detail</th></tr></thead>\n<tbody>\n"
        for check in model.checks {
            html += "<tr><td>\(HTMLText.escape(check.host))</td><td>\(HTMLText.escape(check.step.rawValue))</td><td class=\"detail\">\(HTMLText.escape(check.check))</td>"
            html += "<td><span class=\"badge \(check.passed ? "good" : "bad")\">\(check.passed ? "passed" : "failed")</span></td>"
            html += "<td class=\"detail\">\(HTMLText.escape(check.detail ?? ""))</td></tr>\n"
        }
        return html + "</tbody>\n</table>\n</section>\n"
    }

    private func rollbacks() -> String {
        guard !model.rollbacks.isEmpty || !model.notes.isEmpty else { return "" }
        var html = "<section id=\"rollbacks\">\n<h2>Rollbacks and pauses</h2>\n<table>\n<tbody>\n"
        var rows: [(Date, String)] = model.notes.map { ($0.time, HTMLText.escape($0.text)) }
        for rollback in model.rollbacks {
            var text = "<strong>rollback</strong> of \(HTMLText.escape(rollback.hosts.joined(separator: ", "))): \(HTMLText.escape(rollback.reason))"
            if let finished = rollback.finished {
                text += rollback.failed.isEmpty
                    ? " — <span class=\"badge good\">verified</span> after \(HTMLText.escape(DurationText.describe(.milliseconds(Int(finished.timeIntervalSince(rollback.time) * 1000)))))"
                    : " — <span class=\"badge bad\">failed on \(HTMLText.escape(rollback.failed.joined(separator: ", ")))</span>"
            }
            rows.append((rollback.time, text))
        }
        for (time, text) in rows.sorted(by: { $0.0 < $1.0 }) {
            html += "<tr><td>\(HTMLText.escape(Self.clock(time)))</td><td>\(text)</td></tr>\n"
        }
        return html + "</tbody>\n</table>\n</section>\n"
    }

    /// `2026-11-25 19:45:00.123 UTC`.
    static func clock(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
            .replacingOccurrences(of: "T", with: " ").replacingOccurrences(of: "Z", with: " UTC")
    }

    static func tone(_ outcome: DeployOutcome) -> String {
        switch outcome {
        case .promoted: "good"
        case .partial, .interrupted, .lockHeld, .notSwitched: "warn"
        case .rolledBack, .notConverged, .refused: "bad"
        }
    }

    static func tone(_ state: DeployReport.HostFinalState) -> String {
        switch state {
        case .promoted: "good"
        case .unchanged: "neutral"
        case .rolledBack: "warn"
        case .failed, .unreachable, .rollbackFailed: "bad"
        }
    }

    static func tone(verdict: Verdict) -> String {
        switch verdict {
        case .pass: "good"
        case .marginal, .inconclusive: "warn"
        case .fail: "bad"
        }
    }
}
