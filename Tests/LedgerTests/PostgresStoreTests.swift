import Foundation
import Glibc
@testable import Ledger
import Testing
import TestSupport

/// The PostgreSQL ledger against a real server that each test starts in its own directory.
@Suite("PostgreSQL ledger", .timeLimit(.minutes(2)))
struct PostgresStoreTests {
    func withServer(_ body: (PostgresServer) async throws -> Void) async throws {
        let directory = TemporaryDirectory()
        let server = try await PostgresServer.start(in: directory.path)
        do {
            try await body(server)
        } catch {
            server.stop()
            throw error
        }
        server.stop()
    }

    @Test func recordsRoundTripAndFilter() async throws {
        try await withServer { server in
            let store = PostgresStore(url: server.url)
            var full = Fixtures.record("d-1", release: "1.4.2-0123456789ab", outcome: .rolledBack, started: 0.5, finished: 95.75,
                                       built: -3600.25, gateFailed: 40.125, verified: 90)
            full.reason = "wave 1: web-1 failed health; it's \"quoted\" and has ümlauts"
            full.strategy = "canary"
            full.artifactSHA256 = String(repeating: "ab", count: 32)
            full.hosts = [HostRecord(host: "web-1", state: "rolled_back", release: "1.4.1-ba9876543210", detail: "health: exit 1"),
                          HostRecord(host: "web-2", state: "unreachable")]
            let id = try await store.append(full)
            try await store.append(Fixtures.record("d-2", app: "api", release: "2.0-000000000002", started: 100, finished: 110))
            try await store.append(Fixtures.record("r-3", .rollback, release: "1.4.1-ba9876543210", started: 120, finished: 130))
            await store.close()

            let reader = PostgresStore(url: server.url)
            let records = try await reader.records(LedgerQuery())
            #expect(records.map(\.deployID) == ["r-3", "d-2", "d-1"])
            full.id = id
            #expect(records.last == full)
            #expect(try await reader.records(LedgerQuery(app: "web", limit: 1)).map(\.deployID) == ["r-3"])
            #expect(try await reader.records(LedgerQuery(since: Fixtures.at(110))).map(\.deployID) == ["r-3", "d-2"])
            await reader.close()
            // Real columns a team can query: times are timestamptz.
            #expect(try await server.psql("SELECT to_char(finished_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') FROM records WHERE deploy_id = 'd-1'")
                == "2026-11-01 00:01:35")
            #expect(try await server.psql("SELECT version FROM cutover_schema") == String(PostgresSchema.version))
        }
    }

    @Test func runnersStartingTogetherMigrateOnceAndAllWrite() async throws {
        try await withServer { server in
            let stores = (0..<4).map { _ in PostgresStore(url: server.url) }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for (index, store) in stores.enumerated() {
                    group.addTask {
                        for round in 0..<10 {
                            try await store.append(Fixtures.record("d-\(index)-\(round)", started: Double(round), finished: Double(round) + 1))
                        }
                    }
                }
                try await group.waitForAll()
            }
            for store in stores { await store.close() }
            #expect(try await server.psql("SELECT count(*) FROM records") == "40")
            #expect(try await server.psql("SELECT count(*) FROM cutover_schema") == "1")
        }
    }

    /// The schema check runs on every connection: its server notices ("relation … already
    /// exists, skipping") never reach the operator's terminal.
    @Test func historyPrintsNoServerNotices() async throws {
        try await withServer { server in
            for _ in 0..<2 {
                let result = try await Shell.runDetached([RepositoryPaths.cutoverExecutable, "history", "web", "--ledger", server.url])
                #expect(result.status == 0, "\(result.output)")
                #expect(!result.output.contains("NOTICE"), "\(result.output)")
            }
        }
    }

    @Test func aNewerSchemaIsRefused() async throws {
        try await withServer { server in
            let store = PostgresStore(url: server.url)
            try await store.append(Fixtures.record("d-1", started: 0, finished: 1))
            await store.close()
            _ = try await server.psql("UPDATE cutover_schema SET version = 99")
            let newer = PostgresStore(url: server.url)
            do {
                _ = try await newer.append(Fixtures.record("d-2", started: 2, finished: 3))
                Issue.record("a newer schema was written to")
            } catch let error as LedgerError {
                #expect(error.message.contains("schema version 99"))
            }
            await newer.close()
            #expect(try await server.psql("SELECT count(*) FROM records") == "1")
        }
    }

    @Test func aServerThatIsDownIsAnErrorWithoutThePassword() async throws {
        let directory = TemporaryDirectory()
        let store = PostgresStore(url: "postgresql://ci:s3cret@/postgres?host=\(directory.path)&port=5999")
        do {
            _ = try await store.records(LedgerQuery())
            Issue.record("reading a ledger with no server succeeded")
        } catch {
            #expect(error.message.contains("cannot connect"))
            #expect(!error.message.contains("s3cret"))
        }
        await store.close()
    }

    @Test func theDeployLeaseIsOneRunnerAtATime() async throws {
        try await withServer { server in
            let first = try await PostgresLease.acquire(url: server.url, app: "web", environment: "default", owner: "ci@runner-1", wait: .zero)
            do {
                _ = try await PostgresLease.acquire(url: server.url, app: "web", environment: "default", owner: "ci@runner-2", wait: .zero)
                Issue.record("two runners held the lease for one app")
            } catch let held as PostgresLease.Held {
                #expect(held.holder == "cutover ci@runner-1")
            }
            // Another app's lease is another lock.
            let other = try await PostgresLease.acquire(url: server.url, app: "api", environment: "default", owner: "ci@runner-2", wait: .zero)
            await other.release()
            // So is the same app's lease in another environment: a staging canary of web never
            // blocks a production rollback of web, while production's own lease is one at a time.
            let staging = try await PostgresLease.acquire(url: server.url, app: "web", environment: "staging", owner: "ci@runner-3", wait: .zero)
            let production = try await PostgresLease.acquire(url: server.url, app: "web", environment: "production", owner: "ci@runner-4", wait: .zero)
            do {
                _ = try await PostgresLease.acquire(url: server.url, app: "web", environment: "production", owner: "ci@runner-5", wait: .zero)
                Issue.record("two runners held production's lease for web")
            } catch let held as PostgresLease.Held {
                #expect(held.holder == "cutover ci@runner-4")
            }
            await production.release()
            await staging.release()
            // A runner waiting with --lock-wait gets it once the first lets go.
            async let waiting = PostgresLease.acquire(url: server.url, app: "web", environment: "default", owner: "ci@runner-2", wait: .seconds(30))
            try await Task.sleep(for: .milliseconds(500))
            await first.release()
            try await waiting.release()
        }
    }

    /// One `--lock-wait` bounds the whole wait: a run that waited for the ledger's lease gives
    /// its hosts' leases only what remains of it, not the whole wait again.
    @Test func theHostsGetWhatRemainsOfTheWaitForTheLedgersLease() async throws {
        try await withServer { server in
            let first = try await PostgresLease.acquire(url: server.url, app: "web", environment: "default", owner: "ci@runner-1", wait: .zero)
            let wait = Duration.seconds(60)
            async let remaining = Self.waitGiven(url: server.url, wait: wait)
            // The waiting run found the lease held at least once: its session last asked who holds it.
            var refused = false
            for _ in 0..<200 where !refused {
                refused = try await server.psql("""
                    SELECT count(*) FROM pg_stat_activity WHERE pid <> pg_backend_pid() AND query LIKE '%FROM pg_locks l JOIN%'
                    """) == "1"
                if !refused { try await Task.sleep(for: .milliseconds(50)) }
            }
            try #require(refused)
            await first.release()
            // It tries again a second after a refusal: at least that much of the wait is spent.
            let left = try #require(try await remaining)
            #expect(left <= wait - .seconds(1), "the hosts were given \(left) of \(wait)")
            #expect(left > .zero)
        }
    }

    /// What `LedgerLease.holding` gives its body of `wait`, once it holds web's lease.
    private static func waitGiven(url: String, wait: Duration) async throws -> Duration? {
        var given: Duration?
        try await LedgerLease.holding(app: "web", environment: "default", location: .postgres(url: url), wait: wait,
                                      warn: { Issue.record("\($0)") }) { remainingWait in given = remainingWait }
        return given
    }

    @Test func aRunnerThatDiesFreesTheLease() async throws {
        try await withServer { server in
            let holder = try server.session(["SELECT pg_advisory_lock(hashtextextended('cutover-lease:default:web', 0))"])
            defer { if holder.isRunning { kill(holder.processIdentifier, SIGKILL); holder.waitUntilExit() } }
            var held = false
            for _ in 0..<100 where !held {
                held = try await server.psql("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted") == "1"
                if !held { try await Task.sleep(for: .milliseconds(50)) }
            }
            #expect(held)
            do {
                _ = try await PostgresLease.acquire(url: server.url, app: "web", environment: "default", owner: "ci@runner-2", wait: .zero)
                Issue.record("the lease was taken while psql held it")
            } catch let error as PostgresLease.Held {
                #expect(error.holder == "psql")
            }
            kill(holder.processIdentifier, SIGKILL)
            holder.waitUntilExit()
            let lease = try await PostgresLease.acquire(url: server.url, app: "web", environment: "default", owner: "ci@runner-2", wait: .seconds(30))
            await lease.release()
        }
    }
}
