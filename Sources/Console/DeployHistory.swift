public import Rollout

/// What the summary needs that the final report does not carry: which wave each host was in,
/// how long each wave and each host took, and the canary verdicts. Built from the events.
public struct DeployHistory: Sendable {
    public struct Wave: Sendable {
        public var index: Int
        public var count: Int
        public var hosts: [String]
        public var start: ContinuousClock.Instant
        public var end: ContinuousClock.Instant?
    }

    public private(set) var waves: [Wave] = []
    public private(set) var verdicts: [CanaryVerdictReport] = []
    private var hostStart: [String: ContinuousClock.Instant] = [:]
    /// When the host's wave began working on it (its first step after the push).
    private var switchStart: [String: ContinuousClock.Instant] = [:]
    private var hostEnd: [String: ContinuousClock.Instant] = [:]

    public init() {}

    public mutating func record(_ event: DeployEvent, at now: ContinuousClock.Instant) {
        switch event {
        case .waveStarted(let index, let count, let hosts):
            if !waves.isEmpty { waves[waves.count - 1].end = waves[waves.count - 1].end ?? now }
            waves.append(Wave(index: index, count: count, hosts: hosts, start: now))
        case .step(let host, let step, let state, _):
            if state == .started, hostStart[host] == nil { hostStart[host] = now }
            let bookkeeping = Self.bookkeeping.contains(step)
            if state == .started, !bookkeeping, switchStart[host] == nil {
                switchStart[host] = now
            }
            // A host that reached its gates is timed by them alone; the lease's release and
            // the pruning at the end of the deploy are not its wave's work.
            if state != .started, !bookkeeping || switchStart[host] == nil { hostEnd[host] = now }
        case .analysis(let report):
            verdicts.append(report)
        case .finished:
            if !waves.isEmpty { waves[waves.count - 1].end = waves[waves.count - 1].end ?? now }
        default:
            break
        }
    }

    /// Steps that prepare or tidy a host rather than change what it serves.
    static let bookkeeping: Set<DeployStep> = [.connect, .lease, .upload, .extract, .prune, .unlock, .status]

    /// One definition everywhere: from the host's first gate step (switch, hooks, checks,
    /// rollback) to its last; a host that never got there, from its first step to its last.
    /// A bake or a pause is its wave's time (``duration(of:)-swift.method``), not the host's.
    public func duration(of host: String) -> Duration? {
        guard let start = switchStart[host] ?? hostStart[host], let end = hostEnd[host] else { return nil }
        return end - start
    }

    /// From the wave's start to the next wave's (or the deploy's end): bakes and pauses included.
    public func duration(of wave: Wave) -> Duration? {
        wave.end.map { $0 - wave.start }
    }
}
