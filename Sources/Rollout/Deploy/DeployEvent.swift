public import Analysis
public import Release

/// What happens during a deploy, rollback, status or unlock, in order, for renderers.
/// Every operation sends `started` first and `finished` last.
public enum DeployEvent: Sendable {
    /// The operation began: which one, and the id every later event belongs to.
    case started(DeployStart)
    case planned(DeployPlan)
    /// The promotion policy's check of the plan (only for environments with a `promotion:` rule,
    /// and for a production run no rule names while the playbook has rules: `PromotionRuleMismatch`).
    case promotion(PromotionCheck)
    case waveStarted(index: Int, count: Int, hosts: [String])
    /// A host started or finished a step.
    case step(host: String, step: DeployStep, state: StepState, detail: String?)
    /// One health check, rollback check or smoke test of a host came out (after its retries).
    case check(CheckResult)
    /// Bytes of the artifact a host has received so far (a few a second per host, and the last).
    case uploadProgress(host: String, bytes: Int64, total: Int64)
    /// A canary step's bake began: its KPIs are sampled on these hosts for `duration`.
    case bakeStarted(canary: [String], baseline: [String], duration: Duration)
    /// One KPI sample of one host during a canary bake (`value` nil: no data).
    case kpiSample(KPISample)
    case rollbackStarted(reason: String, hosts: [String])
    /// The rollback of `hosts` ended; `failed` could not go back or failed their checks.
    case rollbackFinished(hosts: [String], failed: [String])
    /// A canary step's bake ended and the judge decided.
    case analysis(CanaryVerdictReport)
    /// Waiting for `cutover promote` or `cutover abort` (or the timeout's default action).
    case paused(wave: Int, timeout: Duration, onTimeout: PauseAction)
    /// The pause was answered: by whom (a person, `Ctrl-C`, `timeout after 60s`), and how.
    case pauseAnswered(action: PauseAction, by: String)
    /// One host's state (status verb).
    case hostStatus(HostStatusReport)
    /// Something that did not fail the run but needs a person's attention: a relay's clean-up
    /// that failed on `hosts`, which may still carry its authorized_keys line until the expiry
    /// the message names.
    case warning(message: String, hosts: [String])
    case finished(DeployReport)
}

public typealias DeployEventSink = @Sendable (DeployEvent) -> Void

/// The steps a host goes through.
public enum DeployStep: String, Sendable, Hashable, CaseIterable {
    case connect, lease, upload, extract
    /// `hooks.migrate`: once per deploy, on one host, after the push and before any switch.
    case migrate
    /// Blue/green: the new release put into the idle slot and started there.
    case stage
    case beforeSwitch = "before_switch"
    case `switch`, activate, health
    /// The health checks held after they first passed, for `stable_for`.
    case stable
    case smoke
    case afterSwitch = "after_switch"
    case rollback, checks, prune, unlock, status
}

public enum StepState: String, Sendable, Hashable, CaseIterable {
    case started, ok, skipped, failed
}

/// How a deploy (or rollback) ended; the CLI maps it to an exit code.
public enum DeployOutcome: String, Sendable, Hashable, CaseIterable {
    /// Every selected host is on the new release (or, for rollback, on its target).
    case promoted
    /// Some hosts failed or were unreachable within the failure budget; the rest succeeded.
    case partial
    /// A gate failed; the policy's hosts were rolled back and verified.
    case rolledBack = "rolled_back"
    /// A rollback could not finish on some hosts.
    case notConverged = "not_converged"
    /// Another deploy holds the lease.
    case lockHeld = "lock_held"
    /// Stopped on request (Ctrl-C) between waves; the fleet is converged, `resume` continues.
    case interrupted
    /// Failed before any host was switched (push, staging, migration, an abort before the first
    /// wave): every host still serves what it served before the deploy.
    case notSwitched = "not_switched"
    /// Refused by the promotion policy (the ledger does not show the artifact promoted in the
    /// environment before this one) before any host was touched.
    case refused
}

/// Where each host ended and why.
public struct DeployReport: Sendable {
    public struct HostResult: Sendable, Hashable {
        public var host: String
        /// The release `current` points at afterwards, when known.
        public var release: String?
        public var state: HostFinalState
        public var detail: String?
        /// Bytes this run uploaded to the host (the artifact, or a delta of it); 0 when nothing travelled.
        public var bytesSent: Int64 = 0
        /// Why the host ended so, as a value, when the engine knows it (the ``detail`` says it in words).
        public var cause: HostResultCause? = nil
    }

    public enum HostFinalState: String, Sendable, Hashable, CaseIterable {
        case promoted, unchanged, failed, unreachable
        case rolledBack = "rolled_back"
        case rollbackFailed = "rollback_failed"
    }

    public var outcome: DeployOutcome
    public var deployID: String
    public var release: String?
    public var reason: String?
    public var hosts: [HostResult]
    public var duration: Duration
    /// Hosts a failed first deploy left on its release: they had no earlier release to go back
    /// to, so neither `resume` (the same broken release) nor `rollback` helps; a fixed release does.
    public var withoutEarlierRelease: [String] = []

    public init(outcome: DeployOutcome, deployID: String, release: String?, reason: String?, hosts: [HostResult], duration: Duration) {
        self.outcome = outcome
        self.deployID = deployID
        self.release = release
        self.reason = reason
        self.hosts = hosts
        self.duration = duration
    }
}

/// One host's deploy-root state, for `cutover status`.
public struct HostStatusReport: Sendable, Hashable {
    public var host: String
    public var reachable: Bool
    public var current: String?
    public var previous: String?
    public var releases: [String]
    public var lock: [String: String]?
    public var lastStep: String?
    public var error: String?
    /// Blue/green: the slot serving traffic and the release in each slot.
    public var liveSlot: String? = nil
    public var slots: [String: String] = [:]
    /// What the deploy root holds that Cutover did not make and ignores (`releases/NAME` that
    /// is not a release id, `current -> TARGET`, `journal: LINE`, `lock: KEY=VALUE`), as found.
    public var unrecognised: [String] = []
}

/// Why a canary step passed or failed: the judge's verdict with every KPI's reason.
public struct CanaryVerdictReport: Sendable, Hashable {
    public struct KPIResult: Sendable, Hashable {
        public var name: String
        public var classification: KPIClassification
        public var reason: String
        /// The canary's and the baseline's samples summarised by `aggregate`, when they had samples.
        public var canaryAggregate: Double? = nil
        public var baselineAggregate: Double? = nil
        /// The rule the KPI was judged by, for charts: its aggregate, absolute bounds and relative limit.
        public var aggregate: String? = nil
        public var max: Double? = nil
        public var min: Double? = nil
        public var maxIncrease: Double? = nil
        public var critical: Bool = false
    }

    public var wave: Int
    public var canary: [String]
    public var baseline: [String]
    public var verdict: Verdict
    public var score: Double?
    public var reason: String
    public var kpis: [KPIResult]
}
