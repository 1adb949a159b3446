/// One of the two places a blue/green host runs a release.
public enum Slot: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case blue, green

    /// The slot that is not this one.
    public var other: Slot { self == .blue ? .green : .blue }

    public var description: String { rawValue }
}

/// How a blue/green deploy moves traffic once every idle slot is started and healthy.
public struct BlueGreenPlan: Sendable, Hashable {
    /// Hosts switched per wave; nil switches every host at once.
    public var batch: BatchSize?
    /// Observation time after the last switch, judged on the playbook's KPIs; nil: none.
    public var bake: Duration?
    /// KPI names to judge after the switch; nil means every KPI.
    public var analysis: [String]?

    public init(batch: BatchSize? = nil, bake: Duration? = nil, analysis: [String]? = nil) {
        self.batch = batch
        self.bake = bake
        self.analysis = analysis
    }

    /// All hosts at once, no bake.
    public static let standard = BlueGreenPlan()
}

/// What each blue/green slot listens on, for `{{ slot_port }}` and `CUTOVER_SLOT_PORT`.
public struct SlotPorts: Sendable, Hashable {
    public var blue: Int?
    public var green: Int?

    public init(blue: Int? = nil, green: Int? = nil) {
        self.blue = blue
        self.green = green
    }

    public subscript(slot: Slot) -> Int? {
        slot == .blue ? blue : green
    }
}
