import Analysis
import Diagnostics
public import Foundation
public import Ledger
import Release
public import Rollout
import Synchronization

/// Builds a verb's ledger record from its event stream and its final report: the plan names the
/// app, release and artifact; the first failed gate and the rollback's last verified host give
/// the times DORA's time to restore needs. Thread-safe: events arrive from any host's task.
public final class LedgerRecorder: Sendable {
    private struct State {
        var plan: DeployPlan?
        var gateFailedAt: Date?
        var rollbackStartedAt: Date?
        var rollbackVerifiedAt: Date?
        /// `--override-promotion`'s reason, when the policy refused and it was overridden.
        var promotionOverride: String?
    }

    public let kind: LedgerRecord.Kind
    /// The playbook's app (for verbs without a plan event: rollback, promote, abort).
    public let app: String?
    /// The run's environment (for verbs without a plan event; a deploy's plan names it).
    public let environment: String?
    public let invoker: Invoker
    public let startedAt: Date
    private let state = Mutex(State())
    private let clock: @Sendable () -> Date

    public init(kind: LedgerRecord.Kind, app: String? = nil, environment: String? = nil, invoker: Invoker = .current(),
                startedAt: Date = Date(), clock: @escaping @Sendable () -> Date = { Date() }) {
        self.kind = kind
        self.app = app
        self.environment = environment
        self.invoker = invoker
        self.startedAt = startedAt
        self.clock = clock
    }

    /// `sink`, with this recorder watching every event first.
    public func observing(_ sink: @escaping DeployEventSink) -> DeployEventSink {
        { [self] event in
            observe(event)
            sink(event)
        }
    }

    /// Notes what the record needs from one event.
    public func observe(_ event: DeployEvent) {
        let now = clock()
        state.withLock { state in
            switch event {
            case .planned(let plan):
                state.plan = plan
            case .promotion(let check) where check.decision == .overridden:
                state.promotionOverride = SecretRedaction.redact(check.overrideReason ?? "")
            case .step(_, let step, .failed, _) where Self.gates.contains(step):
                if state.gateFailedAt == nil { state.gateFailedAt = now }
            case .analysis(let verdict) where verdict.verdict == .fail:
                if state.gateFailedAt == nil { state.gateFailedAt = now }
            case .pauseAnswered(.abort, _):
                if state.gateFailedAt == nil { state.gateFailedAt = now }
            case .rollbackStarted:
                if state.gateFailedAt == nil { state.gateFailedAt = now }
                if state.rollbackStartedAt == nil { state.rollbackStartedAt = now }
            case .step(_, .checks, .ok, _):
                state.rollbackVerifiedAt = now
            default:
                break
            }
        }
    }

    /// Steps whose failure is a failed gate (not a connection or upload problem).
    static let gates: Set<DeployStep> = [.migrate, .beforeSwitch, .switch, .activate, .health, .smoke, .afterSwitch]

    /// The record for a finished run.
    public func record(for report: DeployReport) -> LedgerRecord {
        let finished = clock()
        let state = state.withLock { $0 }
        let plan = state.plan
        // Reasons and details can quote a hook's output: secrets are masked before they are kept.
        let hosts = report.hosts.map {
            HostRecord(host: $0.host, state: $0.state.rawValue, release: $0.release, detail: $0.detail.map(SecretRedaction.redact))
        }
        var record = LedgerRecord(
            deployID: plan?.deployID ?? report.deployID, kind: kind, app: plan?.app ?? app ?? "",
            release: plan?.release ?? report.release, artifactSHA256: plan?.artifactSHA256,
            artifactBuiltAt: plan?.artifactBuiltAt.map(Date.init(timeIntervalSince1970:)),
            artifactBuildTimeSource: plan?.artifactBuildTimeSource, strategy: plan?.strategy,
            outcome: LedgerRecord.Outcome(report.outcome), reason: report.reason.map(SecretRedaction.redact),
            startedAt: startedAt, finishedAt: finished, invoker: invoker, hosts: hosts,
            environment: plan?.environment ?? environment ?? EnvironmentName.unnamed, promotionOverride: state.promotionOverride)
        switch kind {
        case .deploy, .resume:
            if report.outcome == .rolledBack || report.outcome == .notConverged || state.rollbackStartedAt != nil {
                record.gateFailedAt = state.gateFailedAt
            }
            if report.outcome == .rolledBack { record.rollbackVerifiedAt = state.rollbackVerifiedAt ?? finished }
        case .rollback:
            // Without --to, the release every host went to, when they all went to the same one.
            if record.release == nil {
                let targets = Set(report.hosts.filter { $0.state == .rolledBack }.compactMap(\.release))
                if targets.count == 1 { record.release = targets.first }
            }
            if report.outcome == .promoted || report.outcome == .partial {
                record.rollbackVerifiedAt = state.rollbackVerifiedAt ?? finished
            }
        case .promote, .abort:
            // The answered deploy's id, as the hosts named it.
            let answered = Set(report.hosts.compactMap { host -> String? in
                guard host.state == .promoted, case .answered(let deployID) = host.cause else { return nil }
                return deployID
            })
            record.deployID = answered.count == 1 ? answered.first! : (answered.sorted().first ?? report.deployID)
        }
        record.version = record.release.flatMap(ReleaseID.init(validating:))?.version
        return record
    }
}

extension LedgerRecord.Outcome {
    /// How the run ended, in the ledger's words: one case for each of the engine's, so an outcome
    /// added to one enum and not the other stops the build instead of being stored as another.
    init(_ outcome: DeployOutcome) {
        switch outcome {
        case .promoted: self = .promoted
        case .partial: self = .partial
        case .rolledBack: self = .rolledBack
        case .notConverged: self = .notConverged
        case .lockHeld: self = .lockHeld
        case .interrupted: self = .interrupted
        case .notSwitched: self = .notSwitched
        case .refused: self = .refused
        }
    }
}
