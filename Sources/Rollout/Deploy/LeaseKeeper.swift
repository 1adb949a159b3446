/// Renews a run's leases while it waits: a manual pause (an hour by default) or a long KPI bake
/// outlives a lease that only its steps extend, and an expired lease is anyone's to take. Every
/// third of the lease's life, each host's lease is extended (fenced, so a lease that was lost
/// stays lost). Stopped when the run finishes.
final class LeaseKeeper: Sendable {
    private let task: Task<Void, Never>

    init<Worker: HostWorker>(_ workers: [Worker], parallel: Int) {
        let interval = LeaseLife.renewal
        task = Task {
            while !Task.isCancelled {
                do { try await Task.sleep(for: interval) } catch { return }
                await HostFanOut<Worker, Void>(parallel: parallel).run(workers, work: { await $0.renewLease() }, onResult: { _ in })
            }
        }
    }

    func stop() {
        task.cancel()
    }
}
