/// Ranks of two samples pooled together, with average ranks for ties.
struct Ranking: Sendable, Hashable {
    /// The sum of the first sample's ranks (ranks start at 1).
    var firstRankSum: Double
    /// The sizes of the groups of tied values (only groups of two or more).
    var tieGroupSizes: [Int]

    /// Whether any two values are equal.
    var hasTies: Bool { !tieGroupSizes.isEmpty }

    /// Ranks `first` and `second` pooled together.
    init(_ first: [Double], _ second: [Double]) {
        let pooled = first.map { ($0, true) } + second.map { ($0, false) }
        let sorted = pooled.sorted { $0.0 < $1.0 }
        var rankSum = 0.0
        var ties: [Int] = []
        var start = 0
        while start < sorted.count {
            var end = start
            while end + 1 < sorted.count, sorted[end + 1].0 == sorted[start].0 { end += 1 }
            let averageRank = Double(start + end + 2) / 2
            for index in start...end where sorted[index].1 { rankSum += averageRank }
            if end > start { ties.append(end - start + 1) }
            start = end + 1
        }
        firstRankSum = rankSum
        tieGroupSizes = ties
    }
}
