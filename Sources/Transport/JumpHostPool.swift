import Synchronization

/// Authenticated connections to jump hosts (bastions), shared by every target reached through
/// them during a run: one session per jump host carries many `direct-tcpip` channels.
///
/// A session is shared only by hops that agree on everything deciding trust and identity:
/// address, port, user, identities, passphrase variable, agent, known_hosts files, key policy,
/// pinned key, allowed algorithms, and the hops before them. Two inventory entries for one
/// bastion address that pin different keys get a session each, and each is verified.
///
/// A failed jump host stays failed for the pool's life, so its targets fail fast with the
/// same reason instead of each retrying the handshake.
public final class JumpHostPool: Sendable {
    private let options: SSHOptions
    private let connections = Mutex([[SSHEndpoint]: Task<SSHConnection, any Error>]())

    public init(options: SSHOptions = SSHOptions()) {
        self.options = options
    }

    /// The connection to the last hop of `chain`, reached through the hops before it.
    func connection(through chain: [SSHEndpoint]) async throws(SSHError) -> SSHConnection {
        var previous: SSHConnection?
        for index in chain.indices {
            let hop = chain[index]
            let key = Self.key(chain[...index])
            let via = previous
            let options = self.options
            let task = connections.withLock { table -> Task<SSHConnection, any Error> in
                if let existing = table[key] { return existing }
                let task = Task<SSHConnection, any Error> {
                    var endpoint = hop
                    endpoint.jumpHosts = []
                    if let via {
                        let socket = try await via.openTunnel(to: hop.host, port: hop.port, timeout: options.connectTimeout)
                        return try await SSHConnection.connectThroughTunnel(endpoint, options: options, socket: socket)
                    }
                    return try await SSHConnection.connect(to: endpoint, options: options)
                }
                table[key] = task
                return task
            }
            do {
                previous = try await task.value
            } catch let error as SSHError {
                throw SSHError(error.code, "via jump host \(hop.name): \(error.message)", cause: error)
            } catch {
                throw SSHError(.cancelled, "via jump host \(hop.name): cancelled", cause: error)
            }
        }
        guard let last = previous else { throw SSHError(.connect, "empty jump host chain") }
        return last
    }

    /// The hops up to one, whole: every setting that decides trust or identity (the hop's own
    /// `jumpHosts` are left out, the hops before it stand for them). The name stays too, so a
    /// failure names the entry that asked for the session.
    private static func key(_ hops: ArraySlice<SSHEndpoint>) -> [SSHEndpoint] {
        hops.map { hop in
            var hop = hop
            hop.jumpHosts = []
            return hop
        }
    }

    /// Jump host sessions opened so far (for tests and reports).
    public var openConnectionCount: Int {
        connections.withLock { $0.count }
    }

    /// Closes every jump host connection.
    public func close() async {
        let tasks = connections.withLock { table in
            defer { table.removeAll() }
            return Array(table.values)
        }
        for task in tasks {
            if let connection = try? await task.value { await connection.close() }
        }
    }
}
