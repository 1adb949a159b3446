import Diagnostics
import Release

/// The waves of a deploy, decided before any host is touched.
public struct DeployPlan: Sendable, Hashable {
    public var app: String
    public var deployID: String
    public var release: String
    public var artifactSHA256: String
    public var strategy: String
    /// Host names per wave, in order.
    public var waves: [[String]]
    public var maxFailures: Int
    public var rollbackPolicy: String
    /// When the artifact was built (Unix seconds), when it says; see `ArtifactBuildTime`.
    public var artifactBuiltAt: Double?
    /// Where that time came from: `stamp` (its `.cutover-build` file) or `mtime` (its newest member).
    public var artifactBuildTimeSource: String?
    /// The environment the inventory names (or `--environment`); `default` when neither does.
    public var environment: String = EnvironmentName.unnamed
    /// The playbook's promotion rule for `environment`, when it has one: the environment an
    /// artifact must have been promoted in first (`from`)…
    public var promotionFrom: String?
    /// … and how long it must have run there (`soak`).
    public var promotionSoak: Duration?
    /// Every rule of the playbook's `promotion:`: the environment it guards → its `from`. With
    /// `productionHosts`, it tells a run no rule applies to from one that misses its rule by name
    /// (see `PromotionRuleMismatch`).
    public var promotionRules: [String: String] = [:]
    /// Selected hosts marked production by a label or variable (`env: production`), whatever
    /// the run's environment is called (`ProductionTargets`).
    public var productionHosts: [String] = []

    /// Splits hosts into waves for a strategy.
    static func waves(_ hosts: [String], strategy: Strategy) throws(RolloutError) -> [[String]] {
        switch strategy {
        case .allAtOnce:
            return hosts.isEmpty ? [] : [hosts]
        case .rolling(let batch):
            let size = max(1, batch.hosts(of: hosts.count))
            return stride(from: 0, to: hosts.count, by: size).map { Array(hosts[$0..<min($0 + size, hosts.count)]) }
        case .canary:
            return hosts.isEmpty ? [] : [hosts]  // canary waves come from CanaryRamp
        case .blueGreen(let plan):
            guard let batch = plan.batch else { return hosts.isEmpty ? [] : [hosts] }
            return try waves(hosts, strategy: .rolling(batch: batch))
        }
    }

    private static func size(_ batch: BatchSize) -> String {
        switch batch {
        case .count(let n): return "\(n)"
        case .percent(let p): return "\(p)%"
        }
    }

    static func describe(_ strategy: Strategy) -> String {
        switch strategy {
        case .allAtOnce: return "all-at-once"
        case .rolling(let batch):
            return "rolling (batch \(size(batch)))"
        case .canary(let plan):
            let steps = plan.steps.map { step -> String in
                let size: String = switch step.size { case .count(let n): "\(n) host\(n == 1 ? "" : "s")"; case .percent(let p): "\(p)%" }
                return size + (step.bake.map { ", bake \(Int($0.components.seconds))s" } ?? "")
            }
            return "canary (" + steps.joined(separator: " → ") + ")"
        case .blueGreen(let plan):
            var parts = ["every idle slot started and healthy, then switch " + (plan.batch.map { "in waves of " + Self.size($0) } ?? "all hosts at once")]
            if let bake = plan.bake { parts.append("bake \(Int(bake.components.seconds))s") }
            return "blue-green (" + parts.joined(separator: ", ") + ")"
        }
    }
}
