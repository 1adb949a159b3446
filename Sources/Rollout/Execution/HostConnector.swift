import Fleet
import Transport

/// Opens connections for a run: the handshake cap and the connect timeout in one place.
struct HostConnector: Sendable {
    let endpoints: [String: SSHEndpoint]
    let handshakes: AsyncSemaphore
    let options: SSHOptions
    /// Jump host sessions shared by every host of the run.
    let jumpHosts: JumpHostPool
    let observer: CommandObserver?
    /// Commands on each connection share one shell on one channel (``SSHConnection/prepareCommands(secrets:trace:sharedShell:)``):
    /// for runs that send a host several commands; a run that sends one does without.
    let sharedShell: Bool
    /// Connections opened before the run's workers were made, handed to the first ``connect(_:)``
    /// of their host (`resume`, ``LeaseScan``).
    let held = HeldConnections()

    init(inventory: Inventory, hosts: [Host], settings: ConnectionSettings, sharedShell: Bool = true) {
        self.sharedShell = sharedShell
        let resolver = HostEndpoints(inventory: inventory)
        var endpoints: [String: SSHEndpoint] = [:]
        for host in hosts { endpoints[host.name] = resolver.endpoint(for: host) }
        self.endpoints = endpoints
        handshakes = AsyncSemaphore(permits: settings.handshakes)
        // `--verbose`: what a ProxyCommand writes to stderr is shown like a command's stderr.
        let proxyLog = settings.commandObserver.map { observer in
            ProxyCommandLog { host, line in
                observer.connectionTrace()(.output(host: "\(host) (ProxyCommand)", stream: .stderr, bytes: Array((line + "\n").utf8)))
            }
        }
        options = SSHOptions(connectTimeout: settings.connectTimeout, proxyLog: proxyLog)
        jumpHosts = JumpHostPool(options: options)
        observer = settings.commandObserver
    }

    /// Closes the connections nobody took and the jump host sessions; call when the run is over.
    func close() async {
        await held.closeAll()
        await jumpHosts.close()
    }

    /// Attempts at connecting to a host whose connection or handshake timed out or was refused.
    static let attempts = 3

    /// Connects to `host`, waiting for a handshake slot first. A connection that times out or
    /// is refused is tried again (a lossy link or an sshd restarting is slow, not dead), up to
    /// ``attempts`` times; a refused key or login is not. A connection (or failure) the run
    /// holds for the host (``held``) is given instead, once.
    func connect(_ host: Host) async throws(SSHError) -> SSHConnection {
        if let kept = held.take(host.name) { return try kept.get() }
        guard let endpoint = endpoints[host.name] else {
            throw SSHError(.connect, about: host.name, "not part of this run")
        }
        var attempt = 1
        let start = ContinuousClock.now
        while true {
            do {
                return try await connectOnce(host, endpoint: endpoint)
            } catch where attempt < Self.attempts && Self.isWorthRetrying(error) {
                attempt += 1
                do { try await Task.sleep(for: .seconds(1)) } catch { throw SSHError(.cancelled, about: host.name, "cancelled before connecting") }
            } catch where attempt > 1 {
                // The message says the time really spent and the attempts, not one attempt's limit.
                throw Self.afterAttempts(error, attempts: attempt, spent: .now - start, host: host.name)
            }
        }
    }

    /// `h1: no connection after 3 attempts in 32.4 s (last: timed out after 10.0 seconds)`.
    static func afterAttempts(_ error: SSHError, attempts: Int, spent: Duration, host: String) -> SSHError {
        let seconds = Double(spent.components.seconds) + Double(spent.components.attoseconds) / 1e18
        var wrapped = error
        wrapped.subject = host
        wrapped.reason = "no connection after \(attempts) attempts in \((seconds * 10).rounded() / 10) s (last: \(error.reason(about: host)))"
        return wrapped
    }

    /// A connect or handshake that timed out or was refused, or a connection that broke while
    /// it was being opened (the socket closed under the banner exchange or authentication).
    /// Decided by the error's codes and its causes' codes, never by its words.
    static func isWorthRetrying(_ error: SSHError) -> Bool {
        if error.code == .io { return true }
        return (error.code == .connect || error.code == .handshake)
            && (error.involves(.timeout) || error.involves(.refused))
    }

    private func connectOnce(_ host: Host, endpoint: SSHEndpoint) async throws(SSHError) -> SSHConnection {
        do {
            try await handshakes.acquire()
        } catch {
            throw SSHError(.cancelled, about: host.name, "cancelled before connecting")
        }
        defer { handshakes.release() }
        let connection = try await SSHConnection.connect(to: endpoint, options: options, jumpHosts: jumpHosts)
        // The host's secret vars reach its commands on stdin, never on a command line.
        connection.prepareCommands(secrets: host.secrets.map { RemoteSecret(name: $0.hostName, value: $0.value) },
                                   trace: observer?.transportTrace(), sharedShell: sharedShell)
        return connection
    }
}
