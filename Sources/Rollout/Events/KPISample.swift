/// One sample of one KPI on one host during a canary bake.
public struct KPISample: Sendable, Hashable {
    /// Which side of the comparison a host is on.
    public enum Group: String, Sendable, Hashable, CaseIterable {
        /// On the new release.
        case canary
        /// Still on the old release.
        case baseline
    }

    /// The wave (1-based) whose bake took the sample.
    public var wave: Int
    public var kpi: String
    public var host: String
    public var group: Group
    /// Nil when the source gave no number (no data).
    public var value: Double?
    /// The KPI's absolute bound this value is past, if any (a per-host reading: the judge
    /// compares the canary group's aggregate, see ``KPIRule``).
    public var breach: Breach?

    /// An absolute bound of the KPI's rule that a value is past.
    public struct Breach: Sendable, Hashable {
        public enum Bound: String, Sendable, Hashable {
            /// Above the rule's `max`.
            case max
            /// Below the rule's `min`.
            case min
        }
        public var bound: Bound
        public var limit: Double

        public init(bound: Bound, limit: Double) {
            self.bound = bound
            self.limit = limit
        }

        /// The bound of `rule` that `value` is past; nil when within (or no value).
        public static func of(_ value: Double?, max: Double?, min: Double?) -> Breach? {
            guard let value, value.isFinite else { return nil }
            if let max, value > max { return Breach(bound: .max, limit: max) }
            if let min, value < min { return Breach(bound: .min, limit: min) }
            return nil
        }
    }

    public init(wave: Int, kpi: String, host: String, group: Group, value: Double?, breach: Breach? = nil) {
        self.wave = wave
        self.kpi = kpi
        self.host = host
        self.group = group
        self.value = value
        self.breach = breach
    }
}
