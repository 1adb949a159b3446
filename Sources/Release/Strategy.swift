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

/// How a pause is answered: by `cutover promote` or `cutover abort`, by the pause's timeout
/// (its `on_timeout`), or by a stop (an abort request, Ctrl-C), which is an abort.
/// The raw values are the playbook's `on_timeout` words and the events' `action`/`on_timeout`.
public enum PauseAction: String, Sendable, Hashable, CaseIterable {
    /// The deploy goes on with its next wave.
    case promote
    /// The deploy stops and rolls back what it switched.
    case abort
}

/// A wait for a person or a pipeline: `cutover promote` goes on, `cutover abort` rolls back.
public struct ManualPause: Sendable, Hashable {
    public var timeout: Duration
    /// What happens when nobody answers in time.
    public var onTimeout: PauseAction

    public init(timeout: Duration = .seconds(3600), onTimeout: PauseAction = .abort) {
        self.timeout = timeout
        self.onTimeout = onTimeout
    }
}
