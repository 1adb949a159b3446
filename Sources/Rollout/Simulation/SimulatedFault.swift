/// What goes wrong on a simulated host, at most one thing per host, drawn from a seed
/// (``SimulatedFleet``) or set by a test.
public enum SimulatedFault: Sendable, Hashable, CaseIterable {
    /// The connection is refused: the host is unreachable from the start.
    case unreachable
    /// The upload breaks off (the host stays on what it had).
    case uploadFails
    /// The extract step fails (a full disk, say).
    case extractFails
    /// `before_switch` exits non-zero.
    case beforeSwitchFails
    /// The switch ran on the host but its answer was lost: the connection dropped (the host is
    /// unreachable from then on, its lease kept).
    case switchAnswerLost
    /// The switch ran on the host but its command timed out: the answer is lost, the connection
    /// stays (a rollback can still run, and the end of the run reads where `current` points).
    case switchTimedOut
    /// The switch never ran: the connection dropped before it.
    case droppedBeforeSwitch
    /// `activate` exits non-zero after the switch.
    case activateFails
    /// The new release does not pass its health checks here (the app is broken on this host).
    case unhealthy
    /// The smoke tests fail on the new release.
    case smokeFails
    /// `after_switch` exits non-zero.
    case afterSwitchFails
    /// The switch back fails during a rollback.
    case rollbackFails
}

/// One simulated host's behaviour: its round-trip latency and what goes wrong there.
public struct SimulatedBehaviour: Sendable, Hashable {
    /// How long each round trip to the host takes.
    public var latency: Duration
    public var fault: SimulatedFault?
    /// A KPI command's value on the new release (the old one measures `baselineKPI`).
    public var canaryKPI: Double
    public var baselineKPI: Double

    public init(latency: Duration = .zero, fault: SimulatedFault? = nil, canaryKPI: Double = 1, baselineKPI: Double = 1) {
        self.latency = latency
        self.fault = fault
        self.canaryKPI = canaryKPI
        self.baselineKPI = baselineKPI
    }
}
