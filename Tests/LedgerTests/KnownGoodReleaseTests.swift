@testable import Ledger
import Testing

@Suite("Last known-good release") struct KnownGoodReleaseTests {
    @Test func theReleaseBeforeTheCurrentOne() throws {
        let records = [
            Fixtures.record("d-1", release: "1.0-000000000001", started: 0, finished: 10),
            Fixtures.record("d-2", release: "1.1-000000000002", started: 20, finished: 30),
            Fixtures.record("d-4", app: "api", release: "9.0-000000000009", started: 60, finished: 70),
        ]
        let good = try #require(KnownGoodRelease(records: records, app: "web"))
        #expect(good.release == "1.0-000000000001")
        #expect(good.deployID == "d-1")
        #expect(good.current == "1.1-000000000002")
        #expect(good.promotedAt == Fixtures.at(10))
        #expect(good.settledBy == nil)
    }

    @Test func afterAFailedDeployTheFleetIsAlreadyOnItsKnownGoodRelease() throws {
        for outcome in [LedgerRecord.Outcome.rolledBack, .notSwitched] {
            let records = [
                Fixtures.record("d-1", release: "1.0-000000000001", started: 0, finished: 10),
                Fixtures.record("d-2", release: "1.1-000000000002", started: 20, finished: 30),
                // A failed deploy changed nothing: the fleet is still on 1.1, the release it ran
                // before the most recent deploy, and a rollback has nothing to do.
                Fixtures.record("d-3", release: "1.2-000000000003", outcome: outcome, started: 40, finished: 50),
            ]
            let good = try #require(KnownGoodRelease(records: records, app: "web"))
            #expect(good.release == "1.1-000000000002")
            #expect(good.current == "1.1-000000000002")
            #expect(good.settledBy?.deployID == "d-3")
        }
    }

    @Test func redeploysOfTheSameReleaseAreSkipped() throws {
        let records = [
            Fixtures.record("d-1", release: "1.0-000000000001", started: 0, finished: 10),
            Fixtures.record("d-2", release: "1.1-000000000002", started: 20, finished: 30),
            Fixtures.record("d-3", release: "1.1-000000000002", started: 40, finished: 50),
        ]
        #expect(KnownGoodRelease(records: records, app: "web")?.release == "1.0-000000000001")
    }

    @Test func afterARollbackTheFleetIsAlreadyThere() throws {
        var records = [
            Fixtures.record("d-0", release: "0.9-000000000000", started: 0, finished: 5),
            Fixtures.record("d-1", release: "1.0-000000000001", started: 10, finished: 15),
            Fixtures.record("d-2", release: "1.1-000000000002", started: 20, finished: 30),
            Fixtures.record("r-3", .rollback, release: "1.0-000000000001", started: 40, finished: 50),
        ]
        #expect(KnownGoodRelease(records: records, app: "web")?.release == "1.0-000000000001")
        #expect(KnownGoodRelease(records: records, app: "web")?.current == "1.0-000000000001")
        #expect(KnownGoodRelease(records: records, app: "web")?.settledBy?.deployID == "r-3")
        records.removeFirst()
        #expect(KnownGoodRelease(records: records, app: "web")?.release == "1.0-000000000001")
    }

    @Test func nothingKnownWithOneReleaseOrNone() {
        #expect(KnownGoodRelease(records: [], app: "web") == nil)
        #expect(KnownGoodRelease(records: [Fixtures.record("d-1", release: "1.0-000000000001", started: 0, finished: 1)], app: "web") == nil)
        // Only failures: the ledger cannot tell what the fleet runs.
        #expect(KnownGoodRelease(records: [Fixtures.record("d-1", release: "1.0-000000000001", outcome: .partial, started: 0, finished: 1)], app: "web") == nil)
    }

    @Test func rollingBackTwiceStaysAndToGoesFurther() throws {
        var records = [
            Fixtures.record("d-0", release: "0.9-000000000000", started: 0, finished: 5),
            Fixtures.record("d-1", release: "1.0-000000000001", started: 10, finished: 15),
            Fixtures.record("d-2", release: "1.1-000000000002", started: 20, finished: 30),
            Fixtures.record("r-3", .rollback, release: "1.0-000000000001", started: 40, finished: 50),
        ]
        #expect(KnownGoodRelease(records: records, app: "web")?.release == "1.0-000000000001")
        // `--to 0.9`: the fleet is on 0.9, and stays there.
        records.append(Fixtures.record("r-4", .rollback, release: "0.9-000000000000", started: 60, finished: 70))
        #expect(KnownGoodRelease(records: records, app: "web")?.release == "0.9-000000000000")
        // A rollback that found every host already there changes nothing.
        records.append(Fixtures.record("r-5", .rollback, release: "0.9-000000000000", started: 80, finished: 90))
        records.append(Fixtures.record("d-6", release: "1.3-000000000006", started: 100, finished: 110))
        #expect(KnownGoodRelease(records: records, app: "web")?.release == "0.9-000000000000")
    }

    @Test func undoneDeploysAreFailedChanges() {
        let records = [
            Fixtures.record("d-0", release: "0.9-000000000000", started: 0, finished: 5),
            Fixtures.record("d-1", release: "1.0-000000000001", started: 10, finished: 15),
            Fixtures.record("d-2", release: "1.1-000000000002", started: 20, finished: 30),
            Fixtures.record("r-3", .rollback, release: "1.0-000000000001", started: 40, finished: 50),
            Fixtures.record("r-4", .rollback, started: 60, finished: 70),  // hosts disagreed on where they went: one step
            Fixtures.record("d-5", release: "1.2-000000000005", started: 80, finished: 90),
            Fixtures.record("r-6", .rollback, release: "0.9-000000000000", started: 100, finished: 110),  // --to, past 1.2
        ]
        let landed = LandedReleases(records)
        #expect(landed.undone.map(\.deployID) == ["d-2", "d-1", "d-5"])
        #expect(landed.current == "0.9-000000000000")
        let metrics = DORAMetrics(records: records, app: "web", from: Fixtures.base, to: Fixtures.at(200))
        #expect(metrics.changes == 4)
        #expect(metrics.failedChanges == 3)
        #expect(metrics.changeFailureRate == 0.75)
    }
}

extension KnownGoodReleaseTests {
    static func hosts(_ names: [String], _ state: String) -> [HostRecord] {
        names.map { HostRecord(host: $0, state: state) }
    }

    @Test func aDeployLimitedToSomeHostsIsNotTheFleetsKnownGoodRelease() throws {
        var records = [
            Fixtures.record("d-1", release: "1.0-000000000001", started: 0, finished: 10),
            Fixtures.record("d-2", release: "1.3-000000000003", started: 20, finished: 30),
            Fixtures.record("d-3", release: "1.1-000000000002", started: 40, finished: 50),
        ]
        records[0].hosts = Self.hosts(["h1", "h2", "h3"], "promoted")
        records[1].hosts = Self.hosts(["h1"], "promoted")
        records[2].hosts = Self.hosts(["h1", "h2", "h3"], "promoted")
        #expect(KnownGoodRelease(records: records, app: "web")?.release == "1.0-000000000001")
    }

    @Test func aRollbackThatMovedNoHostUndoesNothing() throws {
        var records = [
            Fixtures.record("d-1", release: "1.0-000000000001", started: 0, finished: 10),
            Fixtures.record("r-2", .rollback, release: nil, outcome: .partial, started: 20, finished: 30),
        ]
        records[0].hosts = Self.hosts(["h1", "h2"], "promoted")
        records[1].hosts = Self.hosts(["h1", "h2"], "unchanged")
        let landed = LandedReleases(records)
        #expect(landed.current == "1.0-000000000001")
        #expect(landed.undone.isEmpty)
    }

    @Test func afterADeployThatDidNotFinishTheReleaseTheFleetLastLandedOn() throws {
        var records = [
            Fixtures.record("d-0", release: "0.9-000000000000", started: 0, finished: 5),
            Fixtures.record("d-1", release: "1.0-000000000001", started: 10, finished: 15),
            // Its rollback failed on a host (or it was interrupted): part of the fleet may
            // still run 1.1, the rest is on 1.0, and 1.0 is where a rollback must go.
            Fixtures.record("d-2", release: "1.1-000000000002", outcome: .notConverged, started: 20, finished: 30),
        ]
        let good = try #require(KnownGoodRelease(records: records, app: "web"))
        #expect(good.release == "1.0-000000000001")
        #expect(good.unfinishedDeploy == "d-2")
        records[2].outcome = .interrupted
        #expect(KnownGoodRelease(records: records, app: "web")?.release == "1.0-000000000001")
        // A run that found the lease held changed nothing.
        records.append(Fixtures.record("d-3", release: "1.2-000000000003", outcome: .lockHeld, started: 40, finished: 50))
        #expect(KnownGoodRelease(records: records, app: "web")?.unfinishedDeploy == "d-2")
        // A rollback that did not finish: the hosts' journals decide.
        records.append(Fixtures.record("r-4", .rollback, release: "1.0-000000000001", outcome: .notConverged, started: 60, finished: 70))
        #expect(KnownGoodRelease(records: records, app: "web") == nil)
    }
}
