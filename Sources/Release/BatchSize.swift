/// How many hosts a rolling wave holds: a fixed count or a percentage of the selected hosts.
public enum BatchSize: Sendable, Hashable {
    case count(Int)
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

/// How hosts are moved to the new release.
public enum Strategy: Sendable, Hashable {
    /// Every host at once (bounded by `parallel`).
    case allAtOnce
    /// Waves of `batch` hosts; the next wave starts when the previous one succeeded.
    case rolling(batch: BatchSize)
    /// Reserved: accepted by the loader, not implemented by rollouts yet.
    case canary
    /// Reserved: accepted by the loader, not implemented by rollouts yet.
    case blueGreen
}

/// How many hosts may fail before a rollout stops: a count or a percentage of the selected hosts.
public enum FailureBudget: Sendable, Hashable {
    case count(Int)
    case percent(Int)

    /// Whether `failed` failures out of `total` hosts stay within the budget.
    public func allows(failed: Int, of total: Int) -> Bool {
        switch self {
        case .count(let count):
            return failed <= count
        case .percent(let percent):
            return failed * 100 <= percent * total
        }
    }
}
