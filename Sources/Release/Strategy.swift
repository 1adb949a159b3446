/// How hosts are moved to the new release.
public enum Strategy: Sendable, Hashable {
    /// Every host at once (bounded by `parallel`).
    case allAtOnce
    /// Waves of `batch` hosts; the next wave starts when the previous one succeeded.
    case rolling(batch: BatchSize)
    /// A ramp of waves, each gated by health checks and, when it has a bake time, by KPI analysis.
    case canary(CanaryPlan)
    /// Two slots per host: the idle one gets the new release and is started and health-checked
    /// before traffic moves; the old slot stays warm, so rollback is a switch back.
    case blueGreen(BlueGreenPlan)

    /// A canary with the default ramp.
    public static let canary = Strategy.canary(.defaultRamp)

    /// Blue/green, every host switched at once.
    public static let blueGreen = Strategy.blueGreen(.standard)
}

/// The steps of a canary: cumulative sizes, each with an optional bake and analysis.
public struct CanaryPlan: Sendable, Hashable {
    public var steps: [CanaryStep]

    public init(steps: [CanaryStep]) {
        self.steps = steps
    }

    /// 1 host, 10%, 50%, 100%; no bake (health checks only).
    public static let defaultRamp = CanaryPlan(steps: [
        CanaryStep(size: .count(1)), CanaryStep(size: .percent(10)), CanaryStep(size: .percent(50)), CanaryStep(size: .percent(100)),
    ])
}

/// One wave of a canary: how many hosts are on the new release once it is done (cumulative),
/// how long to observe them, and which KPIs judge them.
public struct CanaryStep: Sendable, Hashable {
    public var size: BatchSize
    /// Observation time after the wave's health checks; nil means no KPI analysis for this step.
    public var bake: Duration?
    /// KPI names to judge; nil means every KPI of the playbook.
    public var analysis: [String]?
    /// Wait for `cutover promote` or `cutover abort` after this step.
    public var pause: ManualPause?
    /// This step's `stable_for`, overriding the playbook's; nil: the playbook's.
    public var stableFor: Duration?

    public init(size: BatchSize, bake: Duration? = nil, analysis: [String]? = nil, pause: ManualPause? = nil) {
        self.size = size
        self.bake = bake
        self.analysis = analysis
        self.pause = pause
    }
}

/// A wait for a person or a pipeline: `cutover promote` goes on, `cutover abort` rolls back.
public struct ManualPause: Sendable, Hashable {
    public enum Action: String, Sendable, Hashable, CaseIterable {
        case promote, abort
    }

    public var timeout: Duration
    /// What happens when nobody answers in time.
    public var onTimeout: Action

    public init(timeout: Duration = .seconds(3600), onTimeout: Action = .abort) {
        self.timeout = timeout
        self.onTimeout = onTimeout
    }
}
