import Foundation
import Release
import Rollout

/// What the HTML report shows, gathered from a run's events in the order they came.
struct ReportModel: Sendable {
    /// A step of one host from its start to its end (an end without a start is a point).
    struct StepSpan: Sendable {
        var host: String
        var step: DeployStep
        var start: Date
        var end: Date?
        var state: StepState
        var detail: String?
    }

    struct WaveMark: Sendable {
        var index: Int
        var count: Int
        var time: Date
        var hosts: [String]
    }

    struct TimedSample: Sendable {
        var time: Date
        var sample: KPISample
    }

    struct TimedVerdict: Sendable {
        var time: Date
        var report: CanaryVerdictReport
    }

    struct RollbackMark: Sendable {
        var time: Date
        var reason: String
        var hosts: [String]
        var finished: Date?
        var failed: [String]
    }

    struct BakeMark: Sendable {
        var time: Date
        var canary: [String]
        var duration: Duration
    }

    struct Note: Sendable {
        var time: Date
        var text: String
    }

    var start: DeployStart?
    var firstTime: Date?
    var lastTime: Date?
    var plan: DeployPlan?
    var waves: [WaveMark] = []
    var spans: [StepSpan] = []
    var checks: [CheckResult] = []
    var bakes: [BakeMark] = []
    var samples: [TimedSample] = []
    var verdicts: [TimedVerdict] = []
    var rollbacks: [RollbackMark] = []
    var notes: [Note] = []
    var finished: (time: Date, report: DeployReport)?
    /// Hosts in the order they first appeared.
    var hosts: [String] = []
    private var openSpans: [String: Int] = [:]

    mutating func record(_ stamped: StampedEvent) {
        let time = stamped.time
        if firstTime == nil { firstTime = time }
        lastTime = time
        switch stamped.event {
        case .started(let start):
            self.start = start
        case .planned(let plan):
            self.plan = plan
            for wave in plan.waves { for host in wave { see(host) } }
        case .waveStarted(let index, let count, let hosts):
            waves.append(WaveMark(index: index, count: count, time: time, hosts: hosts))
        case .step(let host, let step, let state, let detail):
            see(host)
            let key = host + "\u{0}" + step.rawValue
            if state == .started {
                guard openSpans[key] == nil else { break }  // already running: one bar
                openSpans[key] = spans.count
                spans.append(StepSpan(host: host, step: step, start: time, end: nil, state: .started, detail: detail))
            } else if let index = openSpans.removeValue(forKey: key) {
                spans[index].end = time
                spans[index].state = state
                spans[index].detail = detail ?? spans[index].detail
            } else {
                // Reported only when it ended (activate, a skipped upload): it began when the host's previous step ended.
                let begin = spans.last { $0.host == host }.flatMap { $0.end ?? $0.start } ?? time
                spans.append(StepSpan(host: host, step: step, start: min(begin, time), end: time, state: state, detail: detail))
            }
        case .check(let check):
            checks.append(check)
        case .uploadProgress:
            break
        case .bakeStarted(let canary, _, let duration):
            bakes.append(BakeMark(time: time, canary: canary, duration: duration))
        case .kpiSample(let sample):
            see(sample.host)
            samples.append(TimedSample(time: time, sample: sample))
        case .analysis(let report):
            verdicts.append(TimedVerdict(time: time, report: report))
        case .rollbackStarted(let reason, let hosts):
            rollbacks.append(RollbackMark(time: time, reason: reason, hosts: hosts, finished: nil, failed: []))
        case .rollbackFinished(_, let failed):
            if let index = rollbacks.lastIndex(where: { $0.finished == nil }) {
                rollbacks[index].finished = time
                rollbacks[index].failed = failed
            }
        case .paused(let wave, let timeout, let onTimeout):
            notes.append(Note(time: time, text: "paused after wave \(wave) (\(onTimeout.rawValue) after \(DurationText.describe(timeout)))"))
        case .pauseAnswered(let action, let by):
            notes.append(Note(time: time, text: "\(action.rawValue) by \(by)"))
        case .warning(let message, _):
            notes.append(Note(time: time, text: "warning: \(message)"))
        case .promotion(let check):
            notes.append(Note(time: time, text: "promotion policy (\(check.environment) from \(check.from)) \(check.decision.rawValue): \(check.reason)"))
        case .hostStatus:
            break
        case .finished(let report):
            for host in report.hosts { see(host.host) }
            finished = (time, report)
        }
    }

    /// The end of the timeline: when the run finished, else the last event.
    var endTime: Date? { finished?.time ?? lastTime }

    /// The wave (1-based) a host belongs to in the plan, when there is one.
    func wave(of host: String) -> Int? {
        plan?.waves.firstIndex { $0.contains(host) }.map { $0 + 1 }
    }

    private mutating func see(_ host: String) {
        if !hosts.contains(host) { hosts.append(host) }
    }
}
