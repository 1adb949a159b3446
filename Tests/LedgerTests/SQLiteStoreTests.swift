import Foundation
@testable import Ledger
import Testing

@Suite("SQLite ledger") struct SQLiteStoreTests {
    let directory = TemporaryDirectory()
    var path: String { directory.path + "/state/cutover/ledger.sqlite" }

    func full() -> LedgerRecord {
        LedgerRecord(
            deployID: "d-20261101T000000-1a2b", kind: .deploy, app: "web", release: "1.4.2-0123456789ab", version: "1.4.2",
            artifactSHA256: String(repeating: "ab", count: 32), artifactBuiltAt: Fixtures.at(-3600.25),
            artifactBuildTimeSource: "stamp", strategy: "canary (1 host → 50%)", outcome: .rolledBack,
            reason: "wave 1: web-1 failed health", startedAt: Fixtures.at(0.5), finishedAt: Fixtures.at(95.75),
            gateFailedAt: Fixtures.at(40.125), rollbackVerifiedAt: Fixtures.at(90), invoker: Fixtures.invoker,
            hosts: [HostRecord(host: "web-1", state: "rolled_back", release: "1.4.1-ba9876543210", detail: "health: exit 1"),
                    HostRecord(host: "web-2", state: "unchanged", release: "1.4.1-ba9876543210"),
                    HostRecord(host: "web-3", state: "unreachable")])
    }

    @Test func everyFieldRoundTripsAndTheFileIsPrivate() async throws {
        let store = SQLiteStore(path: path)
        let id = try await store.append(full())
        await store.close()

        let reopened = SQLiteStore(path: path, create: false)
        let records = try await reopened.records(LedgerQuery())
        await reopened.close()
        var expected = full()
        expected.id = id
        #expect(records == [expected])
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        let directoryAttributes = try FileManager.default.attributesOfItem(atPath: directory.path + "/state/cutover")
        #expect((directoryAttributes[.posixPermissions] as? NSNumber)?.intValue == 0o700)
    }

    @Test func newestFirstFilteredByAppSinceAndLimit() async throws {
        let store = SQLiteStore(path: path)
        try await store.append(Fixtures.record("d-1", release: "1.0-000000000001", started: 0, finished: 10))
        try await store.append(Fixtures.record("d-2", app: "api", release: "2.0-000000000002", started: 20, finished: 30))
        try await store.append(Fixtures.record("d-3", release: "1.1-000000000003", started: 40, finished: 50))
        try await store.append(Fixtures.record("r-4", .rollback, release: "1.0-000000000001", started: 60, finished: 70))
        #expect(try await store.records(LedgerQuery()).map(\.deployID) == ["r-4", "d-3", "d-2", "d-1"])
        #expect(try await store.records(LedgerQuery(app: "web")).map(\.deployID) == ["r-4", "d-3", "d-1"])
        #expect(try await store.records(LedgerQuery(app: "web", since: Fixtures.at(50))).map(\.deployID) == ["r-4", "d-3"])
        #expect(try await store.records(LedgerQuery(limit: 2)).map(\.deployID) == ["r-4", "d-3"])
        #expect(try await store.records(LedgerQuery(app: "db")).isEmpty)
        await store.close()
    }

    @Test func walModeAndSchemaVersion() async throws {
        let store = SQLiteStore(path: path)
        try await store.append(Fixtures.record("d-1", started: 0, finished: 1))
        await store.close()
        let connection = try SQLiteConnection(path: path, create: false, busyTimeout: .seconds(1))
        #expect(try connection.query("PRAGMA journal_mode").first?.first?.text == "wal")
        #expect(try connection.query("PRAGMA user_version").first?.first?.integer == Int64(SQLiteSchema.version))
    }

    @Test func aNewerSchemaIsRefusedNotAltered() async throws {
        let store = SQLiteStore(path: path)
        try await store.append(Fixtures.record("d-1", started: 0, finished: 1))
        await store.close()
        try SQLiteConnection(path: path, create: false, busyTimeout: .seconds(1)).execute("PRAGMA user_version = 99")

        let newer = SQLiteStore(path: path)
        await #expect(throws: LedgerError.self) { try await newer.records(LedgerQuery()) }
        do {
            _ = try await newer.append(Fixtures.record("d-2", started: 2, finished: 3))
            Issue.record("a newer schema was written to")
        } catch {
            #expect(error.message.contains("schema version 99"))
        }
        await newer.close()
        #expect(try SQLiteConnection(path: path, create: false, busyTimeout: .seconds(1)).query("SELECT count(*) FROM records").first?.first?.integer == 1)
    }

    @Test func readingAMissingLedgerCreatesNothing() async throws {
        let store = SQLiteStore(path: path, create: false)
        #expect(try await store.records(LedgerQuery()).isEmpty)
        await #expect(throws: LedgerError.self) { try await store.append(Fixtures.record("d-1", started: 0, finished: 1)) }
        await store.close()
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test func writersOnSeveralConnectionsTakeTurns() async throws {
        // Two processes finishing at once: each store has its own connection and thread.
        let stores = (0..<4).map { _ in SQLiteStore(path: path) }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (index, store) in stores.enumerated() {
                group.addTask {
                    for round in 0..<25 {
                        try await store.append(Fixtures.record("d-\(index)-\(round)", started: Double(round), finished: Double(round) + 1))
                    }
                }
            }
            try await group.waitForAll()
        }
        for store in stores { await store.close() }
        let reader = SQLiteStore(path: path, create: false)
        #expect(try await reader.records(LedgerQuery()).count == 100)
        await reader.close()
    }

    @Test func anUnwritableLocationIsAnErrorNotACrash() async throws {
        try "not a directory".write(toFile: directory.path + "/file", atomically: true, encoding: .utf8)
        let store = SQLiteStore(path: directory.path + "/file/ledger.sqlite")
        await #expect(throws: LedgerError.self) { try await store.append(Fixtures.record("d-1", started: 0, finished: 1)) }
        await store.close()
    }
}
