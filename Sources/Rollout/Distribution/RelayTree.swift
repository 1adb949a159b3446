/// Who sends the artifact to whom in a relay (`distribution: relay`), decided as transfers end.
///
/// The runner starts with ``seeds`` hosts. Every host that then holds the artifact and serves
/// it becomes a source of up to ``fanout`` transfers at a time, so the hosts holding it grow
/// by about `fanout + 1` times per round (doubling with a fan-out of 1). At most ``parallel``
/// transfers run at once. The runner pushes again only to replace a seed that cannot serve,
/// or when no source is left while hosts still wait (every source failed): then it pushes to
/// the rest itself, as a direct deploy would.
///
/// A receiver's transfer falls back to a push from the runner by itself when its source fails;
/// the tree then drops that source (its other receivers are given other sources).
struct RelayTree<Node: Sendable & Hashable> {
    let seeds: Int
    let fanout: Int
    let parallel: Int

    /// What one transfer came to.
    struct Transfer: Sendable, Hashable {
        /// The receiver holds the artifact and serves it to others now.
        var serves: Bool
        /// The source failed this receiver (refused, did not answer, sent other bytes).
        var sourceFailed: Bool

        init(serves: Bool, sourceFailed: Bool = false) {
            self.serves = serves
            self.sourceFailed = sourceFailed
        }
    }

    /// One edge as it was run: `source` nil means the runner.
    struct Edge: Sendable, Hashable {
        var receiver: Node
        var source: Node?
    }

    init(seeds: Int, fanout: Int, parallel: Int) {
        self.seeds = max(1, seeds)
        self.fanout = max(1, fanout)
        self.parallel = max(1, parallel)
    }

    /// Runs `transfer(receiver, source)` once for every node (source nil: the runner pushes),
    /// and returns the edges in the order they started. Stops starting transfers once the task
    /// is cancelled; the ones running finish.
    func run(_ nodes: [Node], transfer: @escaping @Sendable (Node, Node?) async -> Transfer) async -> [Edge] {
        var state = Schedule(tree: self, pending: nodes[...])
        var edges: [Edge] = []
        await withTaskGroup(of: (Edge, Transfer).self) { group in
            func startMore() {
                while !Task.isCancelled, let edge = state.next() {
                    edges.append(edge)
                    group.addTask { (edge, await transfer(edge.receiver, edge.source)) }
                }
            }
            startMore()
            for await (edge, result) in group {
                state.finished(edge, result)
                startMore()
            }
        }
        return edges
    }

    /// The scheduling decisions, apart from running anything (tested on their own).
    struct Schedule {
        let tree: RelayTree
        var pending: ArraySlice<Node>
        /// Sources in the order they became ready, with their free transfer slots.
        private(set) var sources: [(node: Node, free: Int)] = []
        private(set) var active = 0
        private var runnerStarted = 0
        /// Runner pushes that ended without a source: each one lets the runner seed once more.
        private var runnerWithoutSource = 0
        private var anyServed = false

        init(tree: RelayTree, pending: ArraySlice<Node>) {
            self.tree = tree
            self.pending = pending
        }

        /// The next transfer to start, nil when none may start now.
        mutating func next() -> Edge? {
            guard let receiver = pending.first, active < tree.parallel else { return nil }
            if let index = sources.indices.filter({ sources[$0].free > 0 }).max(by: { sources[$0].free < sources[$1].free }) {
                sources[index].free -= 1
                return start(receiver, source: sources[index].node)
            }
            // Seeds, and a new seed for each runner push that did not give a source.
            if runnerStarted < tree.seeds + runnerWithoutSource {
                return start(receiver, source: nil)
            }
            // No host serves: as many seeds as asked for could not, so no host will (their
            // authorized_keys is not the one sshd reads, say). The runner pushes the rest itself.
            if !anyServed && runnerWithoutSource >= tree.seeds {
                return start(receiver, source: nil)
            }
            // Every source failed and nothing in flight could become one.
            if sources.isEmpty && active == 0 {
                return start(receiver, source: nil)
            }
            return nil
        }

        private mutating func start(_ receiver: Node, source: Node?) -> Edge {
            pending.removeFirst()
            active += 1
            if source == nil { runnerStarted += 1 }
            return Edge(receiver: receiver, source: source)
        }

        mutating func finished(_ edge: Edge, _ result: Transfer) {
            active -= 1
            if let source = edge.source, let index = sources.firstIndex(where: { $0.node == source }) {
                if result.sourceFailed { sources.remove(at: index) } else { sources[index].free += 1 }
            }
            if edge.source == nil && !result.serves { runnerWithoutSource += 1 }
            if result.serves {
                anyServed = true
                sources.append((edge.receiver, tree.fanout))
            }
        }
    }
}
