/// Runs one piece of work per host with at most `parallel` hosts in flight, delivering each
/// result as soon as it is ready. The work itself reports failures as values, never throws.
struct HostFanOut<Item: Sendable, Result: Sendable> {
    let parallel: Int

    func run(
        _ items: [Item],
        work: @escaping @Sendable (Item) async -> Result,
        onResult: (Result) -> Void
    ) async {
        await withTaskGroup(of: Result.self) { group in
            var pending = items.makeIterator()
            for _ in 0..<max(1, parallel) {
                guard let item = pending.next() else { break }
                group.addTask { await work(item) }
            }
            for await result in group {
                onResult(result)
                if !Task.isCancelled, let item = pending.next() {
                    group.addTask { await work(item) }
                }
            }
        }
    }
}
