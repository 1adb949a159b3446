import Testing
@testable import Analysis

@Suite("Mann-Whitney U test")
struct MannWhitneyTests {
    @Test("matches SciPy", arguments: MannWhitneyReference.all)
    func matchesSciPy(_ reference: MannWhitneyReference) throws {
        let result = try #require(MannWhitney.test(reference.canary, reference.baseline))
        #expect(result.u == reference.u)
        #expect(abs(result.p - reference.p) < 1e-9)
        #expect(abs(result.effectSize - reference.effectSize) < 1e-12)
        #expect(result.exact == reference.exact)
        if let absoluteZ = reference.absoluteZ {
            let z = try #require(result.z)
            #expect(abs(abs(z) - absoluteZ) < 1e-6)
        } else {
            #expect(result.z == nil)
        }
    }

    @Test("z and the effect size are positive when the canary is larger")
    func signConvention() throws {
        let higher = try #require(MannWhitney.test((0..<30).map { Double($0) + 100 }, (0..<30).map(Double.init)))
        #expect(higher.effectSize == 1)
        #expect(try #require(higher.z) > 0)
        let lower = try #require(MannWhitney.test((0..<30).map(Double.init), (0..<30).map { Double($0) + 100 }))
        #expect(lower.effectSize == -1)
        #expect(try #require(lower.z) < 0)
        #expect(lower.u == 0)
    }

    @Test("swapping the samples mirrors U and the effect size but keeps p")
    func swapSymmetry() throws {
        let canary = [3.2, 1.1, 4.8, 2.2, 5.9]
        let baseline = [0.4, 2.7, 1.9, 0.8]
        let forward = try #require(MannWhitney.test(canary, baseline))
        let backward = try #require(MannWhitney.test(baseline, canary))
        #expect(forward.u + backward.u == 20)
        #expect(forward.effectSize == -backward.effectSize)
        #expect(forward.p == backward.p)
    }

    @Test("an empty side gives no result")
    func emptySides() {
        #expect(MannWhitney.test([], [1, 2]) == nil)
        #expect(MannWhitney.test([1, 2], []) == nil)
        #expect(MannWhitney.test([.nan], [1, 2]) == nil)
    }

    @Test("NaN samples are dropped")
    func nanDropped() {
        #expect(MannWhitney.test([4, .nan, 5, 6], [1, 2, .nan, 3]) == MannWhitney.test([4, 5, 6], [1, 2, 3]))
    }
}

@Suite("Exact distribution of U")
struct ExactUDistributionTests {
    @Test("small sizes count the orderings")
    func smallCounts() {
        #expect(ExactUDistribution(2, 2).counts == [1, 1, 2, 1, 1])
        #expect(ExactUDistribution(1, 3).counts == [1, 1, 1, 1])
        #expect(ExactUDistribution(3, 3).counts == [1, 1, 2, 3, 3, 3, 3, 2, 1, 1])
    }

    @Test("the counts add up to C(m+n, m) and are symmetric", arguments: [(20, 20), (7, 13), (1, 20), (20, 1)])
    func totals(_ m: Int, _ n: Int) {
        let distribution = ExactUDistribution(m, n)
        var binomial = 1.0
        for k in 0..<m { binomial = binomial * Double(m + n - k) / Double(k + 1) }
        #expect(distribution.total == binomial.rounded())
        #expect(distribution.counts == distribution.counts.reversed())
        #expect(distribution.counts.allSatisfy { $0 >= 1 })
    }

    @Test("tails")
    func tails() {
        let distribution = ExactUDistribution(2, 2)
        #expect(distribution.upperTail(0) == 1)
        #expect(distribution.upperTail(4) == 1.0 / 6)
        #expect(distribution.upperTail(5) == 0)
    }
}

@Suite("Ranking")
struct RankingTests {
    @Test("ties share the average rank")
    func averageRanks() {
        // Pooled sorted: 1(b) 2(c) 2(b) 2(c) 3(c) → ranks 1, 3, 3, 3, 5; canary ranks 3 + 3 + 5.
        let ranking = Ranking([2, 2, 3], [1, 2])
        #expect(ranking.firstRankSum == 11)
        #expect(ranking.tieGroupSizes == [3])
        #expect(ranking.hasTies)
        #expect(!Ranking([1, 3], [2, 4]).hasTies)
    }
}
