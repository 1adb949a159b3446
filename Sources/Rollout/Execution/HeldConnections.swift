import Synchronization
import Transport

/// Connections a run opened before its workers were made, each handed to the first
/// ``HostConnector/connect(_:)`` for its host instead of a new handshake: `resume` reads every
/// host's lease on the connection its deploy then goes on with (one connection per host for the
/// whole run, as a deploy). A host that could not be reached keeps its error, so the deploy fails
/// it as unreachable without trying (and timing out) again. Each entry is handed out once.
final class HeldConnections: Sendable {
    private let held = Mutex([String: Result<SSHConnection, SSHError>]())

    /// Keeps `connection` (or why there is none) for the next connect to `host`; a connection
    /// already kept for it is closed.
    func keep(_ connection: Result<SSHConnection, SSHError>, for host: String) async {
        let replaced = held.withLock { $0.updateValue(connection, forKey: host) }
        if case .success(let old)? = replaced { await old.close() }
    }

    /// What was kept for `host`, now given away; nil when nothing was.
    func take(_ host: String) -> Result<SSHConnection, SSHError>? {
        held.withLock { $0.removeValue(forKey: host) }
    }

    /// Closes every connection nobody took (a run that ended before its workers connected).
    func closeAll() async {
        let rest = held.withLock { table in
            defer { table.removeAll() }
            return Array(table.values)
        }
        for case .success(let connection) in rest { await connection.close() }
    }
}
