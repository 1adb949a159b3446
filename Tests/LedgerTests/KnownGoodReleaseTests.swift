@testable import Ledger
import Testing

@Suite("Last known-good release") struct KnownGoodReleaseTests {
    @Test func theReleaseBeforeTheCurrentOne() throws {
        let records = [
            Fixtures.record("d-1", release: "1.0-000000000001", started: 0, finished: 10),
            Fixtures.record("d-2", release: "1.1-000000000002", started: 20, finished: 30),
            // A failed deploy changed nothing: the fleet is still on 1.1.
            Fixtures.record("d-3", release: "1.2-000000000003", outcome: .rolledBack, started: 40, finished: 50),
            Fixtures.record("d-4", app: "api", release: "9.0-000000000009", started: 60, finished: 70),
        ]
        let good = try #require(KnownGoodRelease(records: records, app: "web"))
        #expect(good.release == "1.0-000000000001")
        #expect(good.deployID == "d-1")
        #expect(good.current == "1.1-000000000002")
        #expect(good.promotedAt == Fixtures.at(10))
    }

    @Test func redeploysOfTheSameReleaseAreSkipped() throws {
        let records = [
            Fixtures.record("d-1", release: "1.0-000000000001", started: 0, finished: 10),
            Fixtures.record("d-2", release: "1.1-000000000002", started: 20, finished: 30),
            Fixtures.record("d-3", release: "1.1-000000000002", started: 40, finished: 50),
        ]
        #expect(KnownGoodRelease(records: records, app: "web")?.release == "1.0-000000000001")
    }

    @Test func afterARollbackTheReleaseBeforeThatOne() throws {
        var records = [
            Fixtures.record("d-0", release: "0.9-000000000000", started: 0, finished: 5),
            Fixtures.record("d-1", release: "1.0-000000000001", started: 10, finished: 15),
            Fixtures.record("d-2", release: "1.1-000000000002", started: 20, finished: 30),
            Fixtures.record("r-3", .rollback, release: "1.0-000000000001", started: 40, finished: 50),
        ]
        #expect(KnownGoodRelease(records: records, app: "web")?.release == "0.9-000000000000")
        #expect(KnownGoodRelease(records: records, app: "web")?.current == "1.0-000000000001")
        records.removeFirst()
        #expect(KnownGoodRelease(records: records, app: "web") == nil)
    }

    @Test func nothingKnownWithOneReleaseOrNone() {
        #expect(KnownGoodRelease(records: [], app: "web") == nil)
        #expect(KnownGoodRelease(records: [Fixtures.record("d-1", release: "1.0-000000000001", started: 0, finished: 1)], app: "web") == nil)
        // Only failures: the ledger cannot tell what the fleet runs.
        #expect(KnownGoodRelease(records: [Fixtures.record("d-1", release: "1.0-000000000001", outcome: .partial, started: 0, finished: 1)], app: "web") == nil)
    }
}
