import Synchronization

/// How a run takes its hosts' leases: it connects to every host at once, takes the lease of the
/// first connected host in name order alone (as soon as it is connected, when that is the first
/// host of all), then the others' in parallel. Two runs
/// started together for the same app both go for that host first, so one of them gets it and
/// goes on while the other stops there (or waits, with `--lock-wait`) before holding anything
/// else; taking every lease at once, each would win some hosts and both would give up.
///
/// A host that cannot be reached (black-holed, down) never holds up the others: connecting is
/// not ordered, and the first host is the first one in name order that answered. With
/// `patience`, the run does not even wait for it: once the others have answered, a host still
/// connecting after `max(3 s, 3 × the slowest answer)` is left to ``LeaseRound/joinLate(_:)``,
/// which finishes its connection (and its retries) and takes its lease while the others work.
enum LeaseOrder {
    @discardableResult
    static func take<Worker: HostWorker>(_ workers: [Worker], parallel: Int, patience: Bool = false,
                                         lease: @escaping @Sendable (Worker) async -> Void) async -> LeaseRound<Worker> {
        let start = ContinuousClock.now
        let answered = Mutex<[String: Duration]>([:])
        // The first host in name order takes its lease as soon as it is connected, while the
        // others still connect (it would be the first anyway when it answers); with `patience`
        // it may answer late, and then joins late like any other host.
        let leader = patience ? nil : workers.min { $0.name < $1.name }
        let leaderLeased = Mutex<ContinuousClock.Instant?>(nil)
        let connecting = Task {
            await HostFanOut<Worker, Void>(parallel: parallel).run(workers, work: { worker in
                await worker.connect()
                if worker === leader, await worker.isConnected {
                    await lease(worker)
                    leaderLeased.withLock { $0 = .now }
                }
                answered.withLock { $0[worker.name] = .now - start }
            }, onResult: { _ in })
        }
        if patience {
            while true {
                let times = answered.withLock { $0 }
                if times.count == workers.count { break }
                if let slowest = times.values.max(), ContinuousClock.now - start > max(.seconds(3), slowest * 3) { break }
                try? await Task.sleep(for: .milliseconds(50))
            }
        } else {
            // The first host's lease runs in that task: a cancelled run (a second Ctrl-C) must
            // not wait out its `--lock-wait` there.
            await withTaskCancellationHandler { await connecting.value } onCancel: { connecting.cancel() }
        }
        let onTime = answered.withLock { Set($0.keys) }
        var connected: [Worker] = []
        for worker in workers where onTime.contains(worker.name) {
            if await worker.isConnected { connected.append(worker) }
        }
        let late = workers.filter { !onTime.contains($0.name) }
        guard let first = connected.min(by: { $0.name < $1.name }) else {
            return LeaseRound(late: late, connecting: connecting, lease: lease, leaderHolder: nil)
        }
        if first === leader, let leased = leaderLeased.withLock({ $0 }) {
            // Leased while the others connected, which may have taken long (retries, timeouts):
            // renewed before the keeper takes over if a third of its life has gone.
            if ContinuousClock.now - leased > LeaseLife.renewal { await first.renewLease() }
        } else {
            await lease(first)
        }
        if let holder = await first.lockHolder {
            let rest = connected.filter { $0 !== first }
            for worker in rest { await worker.notTried("not tried: \(first.name) is locked by \(holder)") }
            return LeaseRound(late: late, connecting: connecting, lease: lease, leaderHolder: holder)
        }
        await HostFanOut<Worker, Void>(parallel: parallel).run(connected.filter { $0 !== first }, work: lease, onResult: { _ in })
        return LeaseRound(late: late, connecting: connecting, lease: lease, leaderHolder: nil)
    }
}

/// The hosts a ``LeaseOrder`` did not wait for, still connecting.
struct LeaseRound<Worker: HostWorker>: Sendable {
    let late: [Worker]
    let connecting: Task<Void, Never>
    let lease: @Sendable (Worker) async -> Void
    /// Who holds the first host's lease, when another run does: late hosts are not tried either.
    let leaderHolder: String?

    /// Waits for the late hosts' connections, takes the lease of each that answered and runs
    /// `work` on it (every host in parallel). A host that never answered is left failed.
    func joinLate(_ work: @escaping @Sendable (Worker) async -> Void) async {
        await connecting.value
        guard !late.isEmpty else { return }
        let lease = self.lease, holder = leaderHolder
        await HostFanOut<Worker, Void>(parallel: max(1, late.count)).run(late, work: { worker in
            guard await worker.isConnected else { return await work(worker) }
            if let holder { await worker.notTried("not tried: another run holds the first host (\(holder))") } else { await lease(worker) }
            await work(worker)
        }, onResult: { _ in })
    }
}
