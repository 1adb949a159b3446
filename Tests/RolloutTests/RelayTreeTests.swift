@testable import Rollout
import Synchronization
import Testing

/// The relay tree's decisions, in memory: the runner carries the artifact to the seeds only,
/// sources serve at most `fanout` at once, at most `parallel` transfers run, every host gets
/// one transfer, and a failing source or a fleet where no host can serve still ends.
@Suite struct RelayTreeTests {
    /// Runs a tree over `count` hosts where `serves` says whether a receiver serves after its
    /// transfer and `failing` names sources that fail every receiver.
    func run(_ count: Int, seeds: Int, fanout: Int, parallel: Int, serves: @escaping @Sendable (String) -> Bool = { _ in true },
             failing: Set<String> = []) async -> (edges: [RelayTree<String>.Edge], peak: Int, peakPerSource: Int) {
        let nodes = (1...count).map { "h\($0)" }
        let load = Mutex<(now: Int, peak: Int, perSource: [String: Int], peakPerSource: Int)>((0, 0, [:], 0))
        let tree = RelayTree<String>(seeds: seeds, fanout: fanout, parallel: parallel)
        let edges = await tree.run(nodes) { receiver, source in
            load.withLock {
                $0.now += 1
                $0.peak = max($0.peak, $0.now)
                if let source {
                    $0.perSource[source, default: 0] += 1
                    $0.peakPerSource = max($0.peakPerSource, $0.perSource[source]!)
                }
            }
            await Task.yield()
            try? await Task.sleep(for: .milliseconds(2))
            load.withLock {
                $0.now -= 1
                if let source { $0.perSource[source]! -= 1 }
            }
            let failed = source.map(failing.contains) ?? false
            return .init(serves: serves(receiver), sourceFailed: failed)
        }
        let seen = load.withLock { $0 }
        return (edges, seen.peak, seen.peakPerSource)
    }

    @Test func theRunnerSendsToTheSeedsOnlyAndEveryHostGetsOneTransfer() async {
        let (edges, peak, perSource) = await run(50, seeds: 2, fanout: 2, parallel: 10)
        #expect(edges.count == 50)
        #expect(Set(edges.map(\.receiver)).count == 50)
        #expect(edges.filter { $0.source == nil }.map(\.receiver) == ["h1", "h2"])
        #expect(peak <= 10)
        #expect(perSource <= 2)
        // A source had the artifact before it served: its own edge started earlier.
        for (index, edge) in edges.enumerated() {
            if let source = edge.source { #expect(edges[..<index].contains { $0.receiver == source }, "\(edge)") }
        }
    }

    @Test func aFailingSourceIsDroppedAndAFleetWhereNoHostServesIsPushedByTheRunner() async {
        // h1 (the only seed) fails every receiver: after its first failure it serves no more.
        let (edges, _, _) = await run(12, seeds: 1, fanout: 3, parallel: 4, failing: ["h1"])
        #expect(edges.count == 12)
        let fromH1 = edges.filter { $0.source == "h1" }.count
        #expect(fromH1 >= 1 && fromH1 <= 3, "h1 took at most its first round of receivers: \(edges)")

        // No host can serve: after the seeds, the runner pushes to everyone (no deadlock).
        let (alone, peak, _) = await run(9, seeds: 2, fanout: 2, parallel: 3, serves: { _ in false })
        #expect(alone.count == 9 && alone.allSatisfy { $0.source == nil })
        #expect(peak <= 3)
    }

    @Test func scheduleNeverStartsMoreThanParallel() {
        var schedule = RelayTree<Int>.Schedule(tree: RelayTree(seeds: 4, fanout: 4, parallel: 3), pending: Array(1...10)[...])
        var started: [RelayTree<Int>.Edge] = []
        while let edge = schedule.next() { started.append(edge) }
        #expect(started.count == 3 && started.allSatisfy { $0.source == nil })
        schedule.finished(started[0], .init(serves: true))
        var more: [RelayTree<Int>.Edge] = []
        while let edge = schedule.next() { more.append(edge) }
        #expect(more == [.init(receiver: 4, source: 1)], "a free source is preferred to the runner")
    }
}
