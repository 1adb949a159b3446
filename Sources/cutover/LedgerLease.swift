import ArgumentParser
import Console
import Diagnostics
import Ledger

/// With a PostgreSQL ledger, `deploy`, `resume` and `rollback` also hold the deploy lease of the
/// app in the run's environment there while they run, so deploys of one fleet started on
/// different runners take turns (a staging deploy never blocks production's) (`--lock-wait`,
/// exit 5 when it stays held). Each host's own lease still guards the hosts. A ledger that
/// cannot be reached only warns, like a ledger that cannot be written.
enum LedgerLease {
    static func holding(app: String?, environment: String?, ledger: LedgerOption, wait: Duration, _ body: () async throws -> Void) async throws {
        guard let app, case .postgres(let url) = (try? ledger.location()) else { return try await body() }
        let environment = environment ?? EnvironmentName.unnamed
        let output = TerminalOutput()
        let lease: PostgresLease
        do {
            lease = try await PostgresLease.acquire(url: url, app: app, environment: environment, owner: Invoker.current().description, wait: wait)
        } catch let held as PostgresLease.Held {
            output.err("the deploy lease for \(app) in \(environment) is held in the ledger by \(held.holder) (--lock-wait SECONDS to wait for it)")
            throw ExitCode(ExitStatus.lockHeld)
        } catch {
            output.err("warning: cannot take the deploy lease for \(app) in \(environment) in the ledger (\(error)); each host's lease still applies")
            return try await body()
        }
        do {
            try await body()
        } catch {
            await lease.release()
            throw error
        }
        await lease.release()
    }
}
