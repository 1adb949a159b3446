/// How a run takes its hosts' leases: it connects to every host at once, then takes the lease
/// of the first connected host in name order alone, then the others' in parallel. Two runs
/// started together for the same app both go for that host first, so one of them gets it and
/// goes on while the other stops there (or waits, with `--lock-wait`) before holding anything
/// else; taking every lease at once, each would win some hosts and both would give up. A host
/// that cannot be reached (black-holed, down) never holds up the others: connecting is not
/// ordered, and the first host is the first one that answered.
enum LeaseOrder {
    static func take(_ workers: [HostDeployment], parallel: Int, connector: HostConnector,
                     lease: @escaping @Sendable (HostDeployment) async -> Void) async {
        await HostFanOut<HostDeployment, Void>(parallel: parallel).run(workers, work: { await $0.connect(connector: connector) }, onResult: { _ in })
        var connected: [HostDeployment] = []
        for worker in workers where await worker.isConnected { connected.append(worker) }
        guard let first = connected.min(by: { $0.name < $1.name }) else { return }
        await lease(first)
        if let holder = await first.lockHolder {
            let rest = connected.filter { $0 !== first }
            for worker in rest { await worker.notTried("not tried: \(first.name) is locked by \(holder)") }
            return
        }
        await HostFanOut<HostDeployment, Void>(parallel: parallel).run(connected.filter { $0 !== first }, work: lease, onResult: { _ in })
    }
}
