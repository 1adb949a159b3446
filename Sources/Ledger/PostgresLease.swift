/// The deploy lease for one app in one environment, held in the PostgreSQL ledger, for teams
/// whose deploys start on several runners: a session advisory lock on the app's and the
/// environment's names (a staging canary of `web` never blocks a production rollback of `web`). It lives exactly as long as its
/// connection, so a runner that dies (or is killed) frees it at once; each host's own lease
/// (with its fencing token) still guards every step on the host.
public final class PostgresLease: Sendable {
    /// Who holds it when it is taken: the holder's application name (`cutover <owner>`).
    public struct Held: Error, Sendable, Hashable {
        public var holder: String
    }

    public let app: String
    public let environment: String
    private let thread: DedicatedThread<PostgresConnection>

    private init(app: String, environment: String, thread: DedicatedThread<PostgresConnection>) {
        self.app = app
        self.environment = environment
        self.thread = thread
    }

    /// The SQL key of an app's lease in an environment: `cutover-lease:ENV:APP` hashed (an
    /// environment name holds no `:`, so no two pairs share a text).
    static let key = "hashtextextended('cutover-lease:' || $2 || ':' || $1, 0)"

    /// Takes the lease for `app` in `environment`, retrying every second for up to `wait`. Throws
    /// `Held` (with the holder) when another deploy keeps it; `LedgerError` when the server
    /// cannot be used.
    public static func acquire(url: String, app: String, environment: String, owner: String, wait: Duration) async throws -> PostgresLease {
        let thread = DedicatedThread<PostgresConnection>(name: "cutover-lease", open: { () throws(LedgerError) -> PostgresConnection in
            try PostgresConnection(url: url, connectTimeout: PostgresStore.connectTimeout, applicationName: "cutover \(owner)")
        }, close: { _ in })
        let deadline = ContinuousClock.now + wait
        while true {
            let holder: String?
            do {
                holder = try await thread.run { (connection: PostgresConnection) throws(LedgerError) -> String? in
                    let taken = try connection.query("SELECT pg_try_advisory_lock(\(key))", [app, environment])
                    if (taken.first?.first ?? nil) == "t" { return nil }
                    let rows = try connection.query("""
                        SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
                        WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
                          AND ((l.classid::bigint << 32) | l.objid::bigint) = \(key)
                        """, [app, environment])
                    return (rows.first?.first ?? nil) ?? "another deploy"
                }
            } catch {
                await thread.shutdown()
                throw error
            }
            guard let holder else { return PostgresLease(app: app, environment: environment, thread: thread) }
            if ContinuousClock.now >= deadline {
                await thread.shutdown()
                throw Held(holder: holder)
            }
            try? await Task.sleep(for: .seconds(1))
        }
    }

    /// Frees the lease (closing the connection frees it too).
    public func release() async {
        let app = self.app, environment = self.environment
        _ = try? await thread.run { (connection: PostgresConnection) throws(LedgerError) in
            try connection.query("SELECT pg_advisory_unlock(\(Self.key))", [app, environment])
        }
        await thread.shutdown()
    }
}
