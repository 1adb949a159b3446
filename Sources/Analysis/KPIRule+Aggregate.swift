extension KPIRule {
    /// How a series of samples is summarised into one number for the threshold and relative checks.
    public enum Aggregate: String, Sendable, Hashable, CaseIterable {
        /// The arithmetic mean.
        case mean
        /// The median (the mean of the two middle values for an even count).
        case median
        /// The last sample.
        case last
        /// The largest sample.
        case max

        /// The summary of `samples`, or nil when there are none.
        public func value(of samples: [Double]) -> Double? {
            guard let last = samples.last else { return nil }
            switch self {
            case .mean:
                return samples.reduce(0, +) / Double(samples.count)
            case .median:
                let sorted = samples.sorted()
                let middle = sorted.count / 2
                return sorted.count.isMultiple(of: 2) ? (sorted[middle - 1] + sorted[middle]) / 2 : sorted[middle]
            case .last:
                return last
            case .max:
                return samples.max()
            }
        }
    }
}
