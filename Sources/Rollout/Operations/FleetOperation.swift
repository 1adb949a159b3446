import Diagnostics
import Fleet
import Release

/// What `rollback`, `status`, `unlock` and `resume` share: the playbook, its policy, the hosts,
/// and a worker per host on the app's deploy root.
struct FleetOperation: Sendable {
    let playbook: Playbook
    let policy: RollbackPolicy
    let selection: FleetSelection
    let deployID: String
    let workers: [HostDeployment]
    let connector: HostConnector
    /// Hosts worked on at once by ``forEach`` unless told otherwise.
    let parallel: Int

    /// `sharedShell`: see ``HostConnector/sharedShell`` (`status` sends each host one command).
    init(playbook name: String, connection: ConnectionSettings, deployID: String, sharedShell: Bool = true,
         events: @escaping DeployEventSink) async throws(RolloutError) {
        do {
            playbook = try PlaybookLoader.load(name)
            var loaded = try PlaybookLoader.rollbackPolicy(for: playbook)
            // `--parallel` given on the command line wins over the policy's.
            if let chosen = connection.chosenParallel { loaded.parallel = chosen }
            policy = loaded
        } catch {
            throw .configuration(error)
        }
        selection = try await FleetSelection.load(connection)
        parallel = connection.parallel
        self.deployID = deployID
        let connector = HostConnector(inventory: selection.inventory, hosts: selection.hosts, settings: connection, sharedShell: sharedShell)
        let context = HostRunContext(playbook: playbook, deployID: deployID, policy: policy)
        workers = selection.hosts.map { HostDeployment(host: $0, context: context, connector: connector, events: events) }
        self.connector = connector
    }

    /// The playbook's app, for the `started` event.
    var app: String { playbook.app }

    func forEach(parallel: Int? = nil, _ work: @escaping @Sendable (HostDeployment) async -> Void) async {
        await HostFanOut<HostDeployment, Void>(parallel: parallel ?? self.parallel).run(workers, work: work, onResult: { _ in })
    }

    func close() async {
        // Leases are released even when the run was cancelled (Ctrl-C). Every host at once:
        // each works on the connection it already holds.
        await Task { await forEach(parallel: max(1, workers.count)) { await $0.finish() } }.value
        await connector.close()
    }
}
