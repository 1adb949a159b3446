import Diagnostics

/// With a PostgreSQL ledger, `deploy`, `resume` and `rollback` also hold the deploy lease of the
/// app in the run's environment there while they run, so deploys of one fleet started on
/// different runners take turns (a staging deploy never blocks production's) (`--lock-wait`).
/// Each host's own lease still guards the hosts. A ledger that cannot be reached only warns,
/// like a ledger that cannot be written; a SQLite ledger (one machine) holds no lease.
public enum LedgerLease {
    /// Another run keeps the lease past the wait: the verb does not start (exit 5).
    public struct Held: Error, Sendable, Hashable, CustomStringConvertible {
        public var app: String
        public var environment: String
        public var holder: String

        public var description: String {
            "the deploy lease for \(app) in \(environment) is held in the ledger by \(holder) (--lock-wait SECONDS to wait for it)"
        }
    }

    /// Runs `body` holding the lease of `app` in `environment` (nil: the unnamed one) when the
    /// ledger at `location` is PostgreSQL. Throws ``Held`` when another run keeps it for `wait`;
    /// a ledger that cannot be used is passed to `warn` and `body` runs without the lease.
    ///
    /// `body` is given what remains of `wait`: the longest its hosts' leases may still be
    /// waited for, so that one `--lock-wait` bounds the whole wait (the ledger's lease, then
    /// the hosts'), not each of them in turn.
    public static func holding(app: String?, environment: String?, location: LedgerLocation, wait: Duration,
                               owner: Invoker = .current(), warn: (String) -> Void,
                               _ body: (_ remainingWait: Duration) async throws -> Void) async throws {
        let deadline = ContinuousClock.now + wait
        func remaining() -> Duration { max(.zero, deadline - .now) }
        guard let app, case .postgres(let url) = location else { return try await body(remaining()) }
        let environment = environment ?? EnvironmentName.unnamed
        let lease: PostgresLease
        do {
            lease = try await PostgresLease.acquire(url: url, app: app, environment: environment, owner: owner.description, wait: wait)
        } catch let held as PostgresLease.Held {
            throw Held(app: app, environment: environment, holder: held.holder)
        } catch {
            warn("warning: cannot take the deploy lease for \(app) in \(environment) in the ledger (\(error)); each host's lease still applies")
            return try await body(remaining())
        }
        do {
            try await body(remaining())
        } catch {
            await lease.release()
            throw error
        }
        await lease.release()
    }
}
