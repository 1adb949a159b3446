/// How many hosts a rolling wave holds: a fixed count or a percentage of the selected hosts.
public enum BatchSize: Sendable, Hashable {
    /// A fixed number of hosts.
    case count(Int)
    /// A percentage of the selected hosts.
    case percent(Int)

    /// Hosts per wave out of `total`: at least 1, percentages rounded up, never more than `total` (when positive).
    public func hosts(of total: Int) -> Int {
        let wanted: Int
        switch self {
        case .count(let count):
            wanted = count
        case .percent(let percent):
            wanted = (total * percent + 99) / 100
        }
        return max(1, total > 0 ? min(wanted, total) : wanted)
    }
}
