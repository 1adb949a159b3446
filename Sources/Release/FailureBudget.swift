/// How many hosts may fail before a rollout stops: a count or a percentage of the selected hosts.
public enum FailureBudget: Sendable, Hashable {
    /// A fixed number of hosts.
    case count(Int)
    /// A percentage of the selected hosts.
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
