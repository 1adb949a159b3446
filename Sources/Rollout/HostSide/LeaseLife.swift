import Foundation

/// How long a deploy lease lives on a host without renewal: 900 s, or `CUTOVER_LEASE_SECONDS`
/// (at least 3). Every mutating step extends it (the fenced scripts), and ``LeaseKeeper`` and
/// ``LeaseOrder`` renew it during long waits, a third of its life at the latest.
enum LeaseLife {
    static let seconds: Int = {
        guard let text = ProcessInfo.processInfo.environment["CUTOVER_LEASE_SECONDS"], let value = Int(text) else { return 900 }
        return max(3, value)
    }()

    /// How often a held lease is renewed.
    static var renewal: Duration { .seconds(max(1, seconds / 3)) }
}
