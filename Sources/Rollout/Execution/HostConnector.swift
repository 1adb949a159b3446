import Fleet
import Transport

/// Opens connections for a run: the handshake cap and the connect timeout in one place.
struct HostConnector: Sendable {
    let endpoints: [String: SSHEndpoint]
    let handshakes: AsyncSemaphore
    let options: SSHOptions
    /// Jump host sessions shared by every host of the run.
    let jumpHosts: JumpHostPool
    let trace: CommandTrace?

    init(inventory: Inventory, hosts: [Host], settings: ConnectionSettings) {
        let resolver = HostEndpoints(inventory: inventory)
        var endpoints: [String: SSHEndpoint] = [:]
        for host in hosts { endpoints[host.name] = resolver.endpoint(for: host) }
        self.endpoints = endpoints
        handshakes = AsyncSemaphore(permits: settings.handshakes)
        options = SSHOptions(connectTimeout: settings.connectTimeout)
        jumpHosts = JumpHostPool(options: options)
        trace = settings.commandObserver?.trace
    }

    /// Closes the jump host sessions; call when the run is over.
    func close() async {
        await jumpHosts.close()
    }

    /// Connects to `host`, waiting for a handshake slot first.
    func connect(_ host: Host) async throws(SSHError) -> SSHConnection {
        guard let endpoint = endpoints[host.name] else {
            throw SSHError(.connect, "\(host.name): not part of this run")
        }
        do {
            try await handshakes.acquire()
        } catch {
            throw SSHError(.cancelled, "\(host.name): cancelled before connecting")
        }
        defer { handshakes.release() }
        let connection = try await SSHConnection.connect(to: endpoint, options: options, jumpHosts: jumpHosts)
        // The host's secret vars reach its commands on stdin, never on a command line.
        connection.prepareCommands(secrets: host.secrets.map { RemoteSecret(name: $0.hostName, value: $0.value) }, trace: trace)
        return connection
    }
}
