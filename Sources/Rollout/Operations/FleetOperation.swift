import Diagnostics
import Fleet
import Release

/// What `rollback`, `status`, `unlock` and `resume` share: the playbook, its policy, the hosts,
/// and a worker per host on the app's deploy root.
struct FleetOperation: Sendable {
    let playbook: Playbook
    let policy: RollbackPolicy
    let selection: FleetSelection
    let id: OperationID
    let workers: [HostDeployment]
    let connector: HostConnector
    /// Hosts worked on at once by ``forEach`` unless told otherwise.
    let parallel: Int

    /// `sharedShell`: see ``HostConnector/sharedShell`` (`status` sends each host one command).
    init(playbook name: String, connection: ConnectionSettings, id: OperationID, sharedShell: Bool = true,
         events: @escaping DeployEventSink) async throws(RolloutError) {
        do {
            playbook = try PlaybookLoader.load(name, snapshot: connection.playbookSnapshot)
            var loaded = try PlaybookLoader.rollbackPolicy(for: playbook, snapshot: connection.playbookSnapshot)
            // `--parallel` given on the command line wins over the policy's.
            if let chosen = connection.chosenParallel { loaded.parallel = chosen }
            policy = loaded
        } catch {
            throw .configuration(error)
        }
        selection = try await FleetSelection.load(connection)
        parallel = connection.parallel
        self.id = id
        let deployID = id.text
        let connector = HostConnector(inventory: selection.inventory, hosts: selection.hosts, settings: connection, sharedShell: sharedShell)
        let context = HostRunContext(playbook: playbook, deployID: deployID, policy: policy)
        workers = selection.hosts.map { HostDeployment(host: $0, context: context, connector: connector, events: events) }
        self.connector = connector
    }

    /// What the events carry where a deploy id goes (``OperationID/text``).
    var deployID: String { id.text }

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

/// What a fleet operation's events (`started`, `finished`) carry where a deploy id goes.
enum OperationID: Sendable, Hashable {
    /// A run with an id of its own, under which it takes the hosts' leases and which their
    /// journals carry: `r-…` (rollback), `u-…` (unlock).
    case run(String)
    /// A verb that runs nothing of its own and takes no lease (status, promote, abort): its
    /// name stands where an id goes. Promote and abort learn the id of the deploy they
    /// answered from each host (``HostResultCause/answered(deployID:)``).
    case verb(DeployStart.Operation)

    /// `r-20261125T194500-3fa2`, or the verb's name: `promote`.
    var text: String {
        switch self {
        case .run(let id): id
        case .verb(let operation): operation.rawValue
        }
    }
}
