import Console
import Foundation
@testable import Rollout
import Testing

/// `cutover status` for people: a header, aligned columns, a fleet summary, a lock in wall-clock time.
@Suite("status table")
struct StatusTableTests {
    func host(_ name: String, _ current: String?, lock: [String: String]? = nil) -> HostStatusReport {
        HostStatusReport(host: name, reachable: true, current: current, previous: "1.4.0-000000000001",
                         releases: ["1.4.0-000000000001", current ?? "x"], lock: lock, lastStep: nil, error: nil)
    }

    @Test func aHeaderAlignedColumnsAndASummary() {
        let table = StatusTable(rows: [host("web-1", "1.5.0-3fa2c09be1d4"), host("web-10", "1.5.0-3fa2c09be1d4")])
        let lines = table.lines
        #expect(lines[0].hasPrefix("HOST    CURRENT             PREVIOUS            RELEASES  STATE"), "\(lines)")
        #expect(lines[1].hasPrefix("web-1   1.5.0-3fa2c09be1d4  1.4.0-000000000001  2         ok"), "\(lines)")
        #expect(lines.last == "2/2 on 1.5.0-3fa2c09be1d4")
    }

    @Test func aMixedFleetCountsEachReleaseAndTheUnreachable() {
        var down = host("web-4", nil)
        down.reachable = false
        down.error = "no connection after 3 attempts in 31.0 s"
        let table = StatusTable(rows: [host("web-1", "1.5.0-a"), host("web-2", "1.5.0-a"), host("web-3", "1.4.0-b"), down])
        #expect(table.summary == "2 on 1.5.0-a, 1 on 1.4.0-b, 1 unreachable")
        #expect(table.lines.contains { $0.hasPrefix("web-4") && $0.hasSuffix("unreachable: no connection after 3 attempts in 31.0 s") })
    }

    @Test func aLockReadsInWallClockTime() {
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let lock = ["deploy": "d-1", "owner": "root@vm pid 14114 at 316b7182.4026531836 since 343422", "expires": "1800000840", "token": "3"]
        #expect(LeaseText.describe(lock, now: now).hasPrefix("d-1 by root@vm pid 14114, expires "))
        #expect(LeaseText.describe(lock, now: now).hasSuffix(" (in 14m)"))
        #expect(!LeaseText.describe(lock, now: now).contains("316b7182"))
        #expect(LeaseText.describe(lock, now: now.addingTimeInterval(900)).hasSuffix("(1m ago)"))
    }
}
