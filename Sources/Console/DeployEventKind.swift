public import Rollout

/// The `event` field of each JSON line: one name per kind of deploy event. The published
/// schema (`Schemas/events.schema.json`) lists the same names; a test keeps them equal.
public enum DeployEventKind: String, Sendable, Hashable, CaseIterable {
    case started
    case plan
    case promotion
    case waveStarted = "wave_started"
    case hostStepStarted = "host_step_started"
    case hostStepFinished = "host_step_finished"
    case checkResult = "check_result"
    case bakeStarted = "bake_started"
    case kpiSample = "kpi_sample"
    case verdict
    case rollbackStarted = "rollback_started"
    case rollbackFinished = "rollback_finished"
    case paused
    case pauseAnswered = "pause_answered"
    case hostStatus = "host_status"
    case warning
    case finished

    /// Nil for upload progress: a few events a second per host, for the live view, not pipelines.
    public init?(_ event: DeployEvent) {
        switch event {
        case .uploadProgress: return nil
        case .bakeStarted: self = .bakeStarted
        case .started: self = .started
        case .planned: self = .plan
        case .promotion: self = .promotion
        case .waveStarted: self = .waveStarted
        case .step(_, _, let state, _): self = state == .started ? .hostStepStarted : .hostStepFinished
        case .check: self = .checkResult
        case .kpiSample: self = .kpiSample
        case .analysis: self = .verdict
        case .rollbackStarted: self = .rollbackStarted
        case .rollbackFinished: self = .rollbackFinished
        case .paused: self = .paused
        case .pauseAnswered: self = .pauseAnswered
        case .hostStatus: self = .hostStatus
        case .warning: self = .warning
        case .finished: self = .finished
        }
    }
}
