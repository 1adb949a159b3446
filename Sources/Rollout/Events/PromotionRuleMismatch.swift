import Diagnostics

/// A run the playbook's promotion policy is meant to guard but whose environment no rule names:
/// the playbook has `promotion:` rules, the run is production (its environment is `production`
/// or `prod`, or a selected host is marked production by a label or variable), and no rule
/// guards the run's environment by that exact name. Such a run is refused like an artifact the
/// policy refuses (exit 6; `--override-promotion REASON` goes on), never let through silently:
/// `environment: prod` against a rule `production:`, or an Ansible inventory deployed without
/// `--environment` (environment `default`) whose hosts say `env=production`.
///
/// Not a mismatch: a playbook without `promotion:`, and a run that is not production (a
/// `staging` without a rule takes any artifact). Pure: the plan in, the decision out.
public struct PromotionRuleMismatch: Sendable, Hashable {
    /// The run's environment.
    public var environment: String
    /// What the production rules (else every rule) take from, for the message: `staging`.
    public var from: String
    /// Why, naming the environment, the rules and the hosts.
    public var reason: String

    public init?(_ plan: DeployPlan) {
        guard plan.promotionFrom == nil, !plan.promotionRules.isEmpty else { return nil }
        let namedProduction = EnvironmentName.isProduction(plan.environment)
        guard namedProduction || !plan.productionHosts.isEmpty else { return nil }
        let guarded = plan.promotionRules.keys.sorted()
        let productionRules = guarded.filter(EnvironmentName.isProduction)
        let froms = (productionRules.isEmpty ? guarded : productionRules).compactMap { plan.promotionRules[$0] }
        environment = plan.environment
        from = Array(Set(froms)).sorted().joined(separator: "/")
        let rules = guarded.map { "\($0) ← \(plan.promotionRules[$0] ?? "?")" }.joined(separator: ", ")
        let target = productionRules.first ?? "production"
        if namedProduction {
            reason = "environment '\(plan.environment)' is production but the playbook's promotion: has no rule for it (rules: \(rules));"
                + " environment names are compared exactly, with no aliases: name the inventory's environment '\(target)' or the rule '\(plan.environment)'"
        } else {
            let hosts = plan.productionHosts.prefix(5).joined(separator: ", ") + (plan.productionHosts.count > 5 ? ", …" : "")
            let count = plan.productionHosts.count
            reason = "\(count) selected host\(count == 1 ? " is" : "s are") marked production (\(hosts): an env or environment label or variable)"
                + " but the run's environment is '\(plan.environment)', which the playbook's promotion: has no rule for (rules: \(rules));"
                + " name the environment: `environment: \(target)` in the inventory, or --environment \(target)"
        }
    }
}
