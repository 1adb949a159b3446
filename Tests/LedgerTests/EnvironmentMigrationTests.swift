import Foundation
@testable import Ledger
import Testing
import TestSupport

/// A ledger written before Cutover recorded environments (schema version 1) is migrated in
/// place when a newer cutover opens it: its records read as environment `default`, new ones
/// carry theirs, and queries filter by it. SQLite and PostgreSQL alike.
@Suite("Ledger schema 2: environments", .timeLimit(.minutes(2)))
struct EnvironmentMigrationTests {
    /// The version-1 row every test plants: a promoted deploy of web, with one host.
    static let oldRow = """
        INSERT INTO records (deploy_id, kind, app, release_id, version, artifact_sha256, outcome, started_at, finished_at, user_name, machine)
        VALUES ('d-old', 'deploy', 'web', '1.0.0-000000000001', '1.0.0', NULL, 'promoted', %@, %@, 'ops', 'laptop');
        INSERT INTO record_hosts (record_id, position, host, state, release_id) VALUES (1, 0, 'h1', 'promoted', '1.0.0-000000000001');
        """

    func staged(_ id: String, in environment: String, finished: Double) -> LedgerRecord {
        var record = Fixtures.record(id, release: "1.1.0-000000000002", started: finished - 1, finished: finished)
        record.environment = environment
        record.promotionOverride = environment == "production" ? "hotfix INC-42" : nil
        return record
    }

    func check(_ store: any LedgerStore) async throws {
        let old = try #require(try await store.records(LedgerQuery()).first)
        #expect(old.deployID == "d-old")
        #expect(old.environment == "default")
        #expect(old.promotionOverride == nil)
        #expect(old.hosts.map(\.host) == ["h1"])
        try await store.append(staged("d-new-1", in: "staging", finished: 100))
        try await store.append(staged("d-new-2", in: "production", finished: 200))
        #expect(try await store.records(LedgerQuery(app: "web", environment: "staging")).map(\.deployID) == ["d-new-1"])
        #expect(try await store.records(LedgerQuery(environment: "default")).map(\.deployID) == ["d-old"])
        let production = try #require(try await store.records(LedgerQuery(environment: "production")).first)
        #expect(production.promotionOverride == "hotfix INC-42")
        #expect(try await store.records(LedgerQuery(app: "web")).count == 3)
    }

    @Test func anOldSQLiteLedgerIsMigratedAndItsRecordsAreDefault() async throws {
        let directory = TemporaryDirectory()
        let path = directory.path + "/ledger.sqlite"
        do {
            let connection = try SQLiteConnection(path: path, create: true, busyTimeout: .seconds(1))
            try connection.execute(SQLiteSchema.migrations[0])
            try connection.execute(String(format: Self.oldRow, "1793491200", "1793491260"))
            try connection.execute("PRAGMA user_version = 1")
        }
        let store = SQLiteStore(path: path)
        try await check(store)
        await store.close()
        let connection = try SQLiteConnection(path: path, create: false, busyTimeout: .seconds(1))
        #expect(try connection.query("PRAGMA user_version").first?.first?.integer == Int64(SQLiteSchema.version))
        #expect(SQLiteSchema.version == 2)
    }

    @Test func anOldPostgresLedgerIsMigratedAndItsRecordsAreDefault() async throws {
        let directory = TemporaryDirectory()
        let server = try await PostgresServer.start(in: directory.path)
        defer { server.stop() }
        _ = try await server.psql(PostgresSchema.migrations[0]
            + "CREATE TABLE cutover_schema (version integer NOT NULL); INSERT INTO cutover_schema VALUES (1);"
            + String(format: Self.oldRow, "to_timestamp(1793491200)", "to_timestamp(1793491260)"))
        let store = PostgresStore(url: server.url)
        try await check(store)
        await store.close()
        #expect(try await server.psql("SELECT version FROM cutover_schema") == "2")
        #expect(try await server.psql("SELECT count(*) FROM records WHERE environment = 'default'") == "1")
    }
}
