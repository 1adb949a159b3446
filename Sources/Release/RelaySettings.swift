/// The shape of a relay tree (`relay: { seeds: 2, fanout: 2 }`, used with `distribution: relay`).
///
/// The runner pushes the artifact to `seeds` hosts; from then on every host holding it (sha256
/// verified) serves up to `fanout` hosts at a time, so the hosts holding it roughly multiply by
/// `fanout + 1` each round. The deploy's `parallel` bounds the transfers in flight.
public struct RelaySettings: Sendable, Hashable {
    /// Hosts the runner pushes to itself (more when a seed cannot serve).
    public var seeds: Int
    /// Hosts one source serves at once.
    public var fanout: Int

    /// The most seeds and fan-out a playbook may ask for: beyond it the runner (or one host)
    /// carries the artifact many times over, which is what a relay is for avoiding.
    public static let maxSeeds = 32
    public static let maxFanout = 16

    public init(seeds: Int = 2, fanout: Int = 2) {
        self.seeds = seeds
        self.fanout = fanout
    }
}
