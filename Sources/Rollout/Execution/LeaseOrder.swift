/// How a run takes its hosts' leases: the first host in name order alone, then the others in
/// parallel. Two runs started together for the same app both go for that host first, so one
/// of them gets it and goes on while the other stops there (or waits, with `--lock-wait`)
/// before holding anything else; taking every lease at once, each would win some hosts and
/// both would give up. When the first host cannot be reached the others are still tried.
enum LeaseOrder {
    static func take(_ workers: [HostDeployment], parallel: Int, preflight: @escaping @Sendable (HostDeployment) async -> Void) async {
        guard let first = workers.min(by: { $0.name < $1.name }) else { return }
        await preflight(first)
        if let holder = await first.lockHolder {
            let rest = workers.filter { $0 !== first }
            for worker in rest { await worker.notTried("not tried: \(first.name) is locked by \(holder)") }
            return
        }
        await HostFanOut<HostDeployment, Void>(parallel: parallel).run(workers.filter { $0 !== first }, work: preflight, onResult: { _ in })
    }
}
