import Fleet
import Transport

/// The shape `exec`, `check` and `upload` share: select hosts, work on each in parallel with
/// the connection rules of the run, report every outcome and the counts.
struct PerHostRun: Sendable {
    let settings: ConnectionSettings

    func run(
        events: @escaping FleetEventSink,
        work: @escaping @Sendable (Fleet.Host, HostConnector) async -> HostOutcome
    ) async throws(RolloutError) -> RunSummary {
        let selection = try await FleetSelection.load(settings)
        let connector = HostConnector(inventory: selection.inventory, hosts: selection.hosts, settings: settings)
        let start = ContinuousClock.now
        events(.started(hosts: selection.hosts.map(\.name), parallel: settings.parallel))
        var summary = RunSummary()
        await HostFanOut<Fleet.Host, HostOutcome>(parallel: settings.parallel).run(selection.hosts) { host in
            await work(host, connector)
        } onResult: { outcome in
            summary.count(outcome)
            events(.hostFinished(outcome))
        }
        await connector.close()
        summary.duration = .now - start
        events(.finished(summary))
        return summary
    }
}
