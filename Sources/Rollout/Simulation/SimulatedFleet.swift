import Fleet
public import Release

/// Simulated hosts for a deploy: a ``SimulatedDisk`` and a ``SimulatedBehaviour`` per host name,
/// set by a test or drawn from a seed. The disks outlive the deploy, so a test reads what each
/// host ended with and a second run (a resume, a rollback) starts from there.
public struct SimulatedFleet: DeployHosts, Sendable {
    public let disks: [String: SimulatedDisk]
    public let behaviours: [String: SimulatedBehaviour]

    public init(disks: [String: SimulatedDisk], behaviours: [String: SimulatedBehaviour] = [:]) {
        self.disks = disks
        self.behaviours = behaviours
    }

    /// `names` running `release`, each with a latency drawn from `latency` and, with probability
    /// `faultRate`, one fault drawn from `faults`, all from `seed`: the same seed, the same fleet.
    public init(names: [String], running release: ReleaseID, seed: UInt64, latency: ClosedRange<Duration>,
                faultRate: Double, faults: [SimulatedFault] = SimulatedFault.allCases) {
        var random = SeededRandom(seed: seed)
        var disks: [String: SimulatedDisk] = [:], behaviours: [String: SimulatedBehaviour] = [:]
        let low = latency.lowerBound.attoseconds, span = (latency.upperBound - latency.lowerBound).attoseconds
        for name in names {
            disks[name] = SimulatedDisk(running: release)
            let delay = Duration(attoseconds: low + (span > 0 ? Int128(random.unit() * Double(span)) : 0))
            let fault = !faults.isEmpty && random.unit() < faultRate ? faults[Int(random.next() % UInt64(faults.count))] : nil
            behaviours[name] = SimulatedBehaviour(latency: delay, fault: fault)
        }
        self.init(disks: disks, behaviours: behaviours)
    }

    func workers(for hosts: [Fleet.Host], context: HostRunContext, stop: StopRequest,
                 events: @escaping DeployEventSink) -> [SimulatedHost] {
        hosts.map {
            SimulatedHost(host: $0, disk: disks[$0.name] ?? SimulatedDisk(), behaviour: behaviours[$0.name] ?? SimulatedBehaviour(),
                          context: context, events: events)
        }
    }

    func watchAborts(on hosts: [SimulatedHost], deployID: String, stop: StopRequest) -> any AbortWatching {
        NoAbortWatch()
    }

    func close() async {}
}

/// Simulated hosts hold no abort file: `StopRequest.abort` is how a test aborts.
struct NoAbortWatch: AbortWatching {
    func stop() async {}
}

/// SplitMix64: a small, fast generator whose whole sequence follows from its seed.
struct SeededRandom: Sendable {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A number in [0, 1).
    mutating func unit() -> Double {
        Double(next() >> 11) / Double(1 << 53)
    }
}

extension Deployment {
    /// The deploy against simulated hosts: the engine's every decision, no SSH (tests,
    /// `Scripts/bench-sim`). The request's inventory names the hosts; nothing contacts them.
    @_spi(Simulation)
    public func simulate(_ fleet: SimulatedFleet, events: @escaping DeployEventSink, stop: StopRequest = StopRequest()) async throws(RolloutError) -> DeployReport {
        try await run(events: events, stop: stop, admission: nil) { _ in fleet }
    }
}
