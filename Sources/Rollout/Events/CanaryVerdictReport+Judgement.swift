import Analysis

extension CanaryVerdictReport.KPIResult {
    /// One KPI's verdict with the rule it was judged by (the thresholds a report draws).
    init(_ verdict: KPIVerdict, rule: KPIRule?) {
        self.init(name: verdict.name, classification: verdict.classification, reason: verdict.reason,
                  canaryAggregate: verdict.canaryAggregate, baselineAggregate: verdict.baselineAggregate,
                  aggregate: rule?.aggregate.rawValue, max: rule?.max, min: rule?.min, maxIncrease: rule?.maxIncrease,
                  critical: verdict.critical)
    }
}
