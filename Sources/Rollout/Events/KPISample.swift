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

    public init(wave: Int, kpi: String, host: String, group: Group, value: Double?) {
        self.wave = wave
        self.kpi = kpi
        self.host = host
        self.group = group
        self.value = value
    }
}
