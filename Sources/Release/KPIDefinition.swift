/// A key performance indicator: where its samples come from and the rules that judge a canary.
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

    public enum Direction: String, Sendable, Hashable, CaseIterable {
        /// A rise is bad (errors, latency).
        case increase
        /// A fall is bad (throughput, success rate).
        case decrease
        /// Any significant change is bad.
        case either
    }

    public enum NoData: String, Sendable, Hashable, CaseIterable {
        case fail, pass, inconclusive
    }

    public var name: String
    public var source: Source
    /// How often samples are taken during a bake.
    public var interval: Duration
    /// Absolute limits on the canary's mean.
    public var max: Double?
    public var min: Double?
    /// The canary's mean may exceed the baseline's by at most this fraction (0.2 = 20%).
    public var maxIncrease: Double?
    public var direction: Direction
    /// A failure of this KPI fails the canary whatever the score.
    public var critical: Bool
    public var weight: Double
    public var noData: NoData

    public init(name: String, source: Source, interval: Duration = .seconds(5), max: Double? = nil, min: Double? = nil,
                maxIncrease: Double? = nil, direction: Direction = .increase, critical: Bool = false, weight: Double = 1,
                noData: NoData = .inconclusive) {
        self.name = name
        self.source = source
        self.interval = interval
        self.max = max
        self.min = min
        self.maxIncrease = maxIncrease
        self.direction = direction
        self.critical = critical
        self.weight = weight
        self.noData = noData
    }
}
