public import Analysis

/// A key performance indicator: where its samples come from and the rule that judges a canary.
public struct KPIDefinition: Sendable, Hashable {
    /// Where samples come from. Templates take `{{ host }}`, `{{ address }}`, `{{ vars.x }}`.
    public enum Source: Sendable, Hashable {
        /// A command on each host printing one number.
        case command(Template)
        /// A Prometheus instant query per host (`url` is the server, e.g. http://localhost:9090).
        case prometheus(url: Template, query: Template)
        /// An HTTP GET returning JSON; `path` (dot-separated) names the number.
        case http(url: Template, path: String)
    }

    public var name: String
    public var source: Source
    /// How often samples are taken during a bake.
    public var interval: Duration
    /// Thresholds, direction, weight, criticality and no-data policy, as the judge reads them.
    /// A playbook's default direction is `increase` (a rise is bad).
    public var rule: KPIRule

    public init(name: String, source: Source, interval: Duration = .seconds(5), rule: KPIRule? = nil) {
        self.name = name
        self.source = source
        self.interval = interval
        self.rule = rule ?? KPIRule(name: name, direction: .increase)
    }
}
