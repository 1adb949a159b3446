import Analysis
import Release
public import Rollout

/// What a live view knows of a running deploy, built from its events alone.
///
/// A value type updated by ``apply(_:at:)``; ``LiveFrame`` turns it into lines.
public struct DeployProgress: Sendable {
    /// Where one host is.
    public enum Phase: Sendable, Hashable {
        case waiting, connecting, uploading, extracting, ready, migrating, staging, switching, checking, baking
        /// Compared with the canary during its bake (still on the old release).
        case baseline
        case done, unchanged, failed, rollingBack, rolledBack

        var isFinal: Bool { [.done, .unchanged, .failed, .rolledBack].contains(self) }
        var label: String {
            switch self {
            case .waiting: return "waiting"
            case .connecting: return "connecting"
            case .uploading: return "uploading"
            case .extracting: return "extracting"
            case .ready: return "pushed"
            case .migrating: return "migrating"
            case .staging: return "starting idle slot"
            case .switching: return "switching"
            case .checking: return "checking"
            case .baking: return "baking"
            case .baseline: return "baseline"
            case .done: return "done"
            case .unchanged: return "unchanged"
            case .failed: return "FAILED"
            case .rollingBack: return "rolling back"
            case .rolledBack: return "rolled back"
            }
        }
    }

    public struct HostLine: Sendable, Hashable {
        public var name: String
        public var phase: Phase = .waiting
        public var bytes: Int64 = 0
        public var total: Int64 = 0
        /// When the first bytes were reported (for the rate).
        public var uploadStart: ContinuousClock.Instant?
        public var uploadRate: Double = 0
        public var bakeEnd: ContinuousClock.Instant?
        public var bakeDuration: Duration = .zero
        /// The latest value of each KPI on this host.
        public var kpis: [String: Double] = [:]
        /// The KPIs whose latest value is past an absolute bound of their rule.
        public var kpiBreaches: [String: KPISample.Breach] = [:]
        public var detail: String?
        /// When the host entered its current phase: the live view shows each host's own clock.
        public var phaseSince: ContinuousClock.Instant?
    }

    /// The verb shown in the heading (`deploy`, `rollback`, `resume`).
    public var verb = "deploy"
    public var deployID = ""
    public var title = ""
    public var wave = 0
    public var waveCount = 0
    public var hostOrder: [String] = []
    public var hosts: [String: HostLine] = [:]
    public var started: ContinuousClock.Instant?
    /// A line that matters now (paused, verdict, rollback).
    public var notice: String?
    public var finished = false

    public init(verb: String = "deploy") {
        self.verb = verb
    }

    public mutating func apply(_ event: DeployEvent, at now: ContinuousClock.Instant) {
        // The clock runs from the first event of any verb (a rollback plans nothing).
        started = started ?? now
        let phases = hosts.mapValues(\.phase)
        defer {
            for (name, line) in hosts where phases[name] != line.phase { hosts[name]?.phaseSince = now }
        }
        switch event {
        case .planned(let plan):
            deployID = plan.deployID
            title = "\(plan.app) \(plan.release)"
            waveCount = plan.waves.count
            hostOrder = plan.waves.flatMap { $0 }
            for name in hostOrder where hosts[name] == nil { hosts[name] = HostLine(name: name) }
            started = started ?? now
        case .waveStarted(let index, let count, _):
            wave = index
            waveCount = count
            notice = nil
        case .step(let host, let step, let state, let detail):
            update(host) { $0.apply(step: step, state: state, detail: detail) }
        case .uploadProgress(let host, let bytes, let total):
            update(host) { line in
                line.phase = .uploading
                line.total = total
                if line.uploadStart == nil { line.uploadStart = now }
                line.bytes = bytes
                if let start = line.uploadStart {
                    let seconds = Self.seconds(now - start)
                    if seconds > 0.2 { line.uploadRate = Double(bytes) / seconds }
                }
            }
        case .bakeStarted(let canary, let baseline, let duration):
            for name in baseline { update(name) { if !$0.phase.isFinal { $0.phase = .baseline } } }
            for name in canary {
                update(name) { line in
                    line.phase = .baking
                    line.bakeEnd = now + duration
                    line.bakeDuration = duration
                }
            }
        case .kpiSample(let sample):
            if let value = sample.value {
                update(sample.host) {
                    $0.kpis[sample.kpi] = value
                    $0.kpiBreaches[sample.kpi] = sample.breach
                }
            }
        case .rollbackStarted(let reason, let names):
            notice = "rolling back: \(reason)"
            for name in names { update(name) { $0.phase = .rollingBack } }
        case .analysis(let report):
            notice = "canary wave \(report.wave): \(report.verdict.rawValue.uppercased()): \(report.reason)"
            for name in report.canary { update(name) { if $0.phase == .baking { $0.phase = .done } } }
            for name in report.baseline { update(name) { if $0.phase == .baseline { $0.phase = .ready } } }
        case .paused(let wave, _, _):
            notice = "paused after wave \(wave): waiting for `cutover promote` or `cutover abort`"
        case .pauseAnswered(let action, let by):
            notice = "\(action.rawValue) by \(by)"
        case .warning(let message, _):
            notice = "warning: \(message)"
        case .hostStatus, .started, .check, .rollbackFinished, .promotion:
            break
        case .finished:
            finished = true
        }
    }

    private mutating func update(_ host: String, _ change: (inout HostLine) -> Void) {
        if hosts[host] == nil {
            hosts[host] = HostLine(name: host)
            hostOrder.append(host)
        }
        change(&hosts[host]!)
    }

    /// How far the whole deploy is, 0...1: pushing is the first half of a host's way, switching
    /// and its gates the second.
    public func fraction(at now: ContinuousClock.Instant) -> Double {
        guard !hosts.isEmpty else { return 0 }
        let sum = hosts.values.reduce(0.0) { $0 + $1.fraction(at: now) }
        return min(1, sum / Double(hosts.count))
    }

    /// Time left, extrapolated from the time so far, and never less than what a running bake
    /// still needs (at a bake's start the extrapolation knows nothing of it); nil until there
    /// is enough to go on.
    public func remaining(at now: ContinuousClock.Instant) -> Duration? {
        guard let started else { return nil }
        let done = fraction(at: now)
        guard done >= 0.05, done < 1 else { return nil }
        let elapsed = Self.seconds(now - started)
        let extrapolated = Duration.milliseconds(Int64(elapsed * (1 - done) / done * 1000))
        let bakeLeft = hosts.values.compactMap { $0.phase == .baking ? $0.bakeEnd.map { $0 - now } : nil }.max() ?? .zero
        return max(extrapolated, bakeLeft)
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}

extension DeployProgress.HostLine {
    mutating func apply(step: DeployStep, state: StepState, detail: String?) {
        if state == .failed {
            phase = .failed
            self.detail = "\(step.rawValue): \(detail ?? "failed")"
            return
        }
        switch (step, state) {
        case (.connect, .started), (.lease, .started): phase = .connecting
        case (.lease, .ok): phase = .connecting
        case (.upload, .started): phase = .uploading
        case (.upload, .skipped): phase = .ready; self.detail = "already there"
        case (.upload, .ok), (.extract, .started): phase = .extracting
        case (.extract, .ok): phase = .ready
        case (.migrate, .started): phase = .migrating
        case (.migrate, .ok), (.migrate, .skipped): phase = .ready
        case (.stage, .started), (.stage, .ok): phase = .staging
        case (.stage, .skipped): phase = .ready; self.detail = "already live"
        case (.health, .started) where phase == .staging: break
        case (.health, .ok) where phase == .staging: phase = .ready; self.detail = "idle slot healthy"
        case (.beforeSwitch, .started), (.switch, .started): phase = .switching
        case (.activate, _), (.health, .started), (.smoke, .started), (.afterSwitch, .started): phase = .checking
        case (.health, .ok), (.smoke, .ok), (.afterSwitch, .ok), (.switch, .ok):
            if phase != .baking { phase = .done }
        case (.rollback, .started): phase = .rollingBack
        case (.rollback, .ok), (.checks, .ok): phase = .rolledBack
        case (.checks, .started): phase = .rollingBack
        default: break
        }
    }

    func fraction(at now: ContinuousClock.Instant) -> Double {
        switch phase {
        case .waiting: return 0
        case .connecting: return 0.05
        case .uploading: return 0.05 + (total > 0 ? 0.35 * Double(bytes) / Double(total) : 0)
        case .extracting: return 0.42
        case .ready: return 0.5
        case .migrating: return 0.52
        case .staging: return 0.55
        case .switching: return 0.6
        case .checking: return 0.7
        case .baking:
            guard let end = bakeEnd, bakeDuration > .zero else { return 0.75 }
            let left = max(0, DeployProgress.seconds(end - now))
            return 0.75 + 0.2 * (1 - left / DeployProgress.seconds(bakeDuration))
        case .rollingBack: return 0.9
        case .baseline: return 0.5
        case .done, .unchanged, .failed, .rolledBack: return 1
        }
    }
}
