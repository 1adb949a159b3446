/// Adds one sampling round of a bake to ``KPISamples``: the canary's and the baseline's samples
/// taken at the same time (nil: that host gave none), with the runs of missing samples and of
/// threshold breaches that only rounds can tell.
public struct KPIRound: Sendable {
    public var canary: [Double?]
    public var baseline: [Double?]

    public init(canary: [Double?], baseline: [Double?]) {
        self.canary = canary
        self.baseline = baseline
    }
}

extension KPISamples {
    /// The running runs (rounds in a row so far); kept beside the samples while a bake lasts.
    public struct Runs: Sendable, Hashable {
        public var missing = 0
        public var missingWhileBaselineAnswered = 0
        public var breach = 0
        public init() {}
    }

    /// Records `round` under `rule`, updating `runs`.
    public mutating func add(_ round: KPIRound, rule: KPIRule, runs: inout Runs) {
        let taken = round.canary.compactMap { $0 }.filter { !$0.isNaN }
        let baselineTaken = round.baseline.compactMap { $0 }.filter { !$0.isNaN }
        canary += taken
        baseline += baselineTaken
        let missing = round.canary.count - taken.count
        // The baseline answered when it has hosts and all of them gave a sample.
        let baselineAnswered = !round.baseline.isEmpty && baselineTaken.count == round.baseline.count
        canaryAttempts += round.canary.count
        canaryMissing += missing
        if baselineAnswered { canaryMissingWhileBaselineAnswered += missing }
        runs.missing = missing > 0 ? runs.missing + 1 : 0
        runs.missingWhileBaselineAnswered = missing > 0 && baselineAnswered ? runs.missingWhileBaselineAnswered + 1 : 0
        let breached = rule.aggregate.value(of: taken).map { !KPIJudge.thresholdFindings(rule, $0).isEmpty } ?? false
        runs.breach = breached ? runs.breach + 1 : 0
        longestMissingRun = max(longestMissingRun, runs.missing)
        longestMissingRunWhileBaselineAnswered = max(longestMissingRunWhileBaselineAnswered, runs.missingWhileBaselineAnswered)
        longestBreachRun = max(longestBreachRun, runs.breach)
    }
}
