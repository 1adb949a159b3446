import Foundation
import Ledger

/// A temporary directory removed when the test ends.
final class TemporaryDirectory {
    let path: String

    init() {
        path = NSTemporaryDirectory() + "ledger-tests-" + UUID().uuidString
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }
}

/// Records built tersely: times are seconds after `base`.
enum Fixtures {
    /// 2026-11-01T00:00:00Z.
    static let base = Date(timeIntervalSince1970: 1_793_491_200)

    static func at(_ seconds: Double) -> Date { base.addingTimeInterval(seconds) }

    static let invoker = Invoker(user: "ci", machine: "runner-1", ciSystem: "github", ciJob: "42 (run 9001)",
                                 ciURL: "https://github.com/acme/web/actions/runs/9001")

    static func record(_ id: String, _ kind: LedgerRecord.Kind = .deploy, app: String = "web", release: String? = nil,
                       outcome: LedgerRecord.Outcome = .promoted, started: Double, finished: Double,
                       built: Double? = nil, gateFailed: Double? = nil, verified: Double? = nil) -> LedgerRecord {
        LedgerRecord(deployID: id, kind: kind, app: app, release: release,
                     version: release.map { String($0.prefix { $0 != "-" }) }, artifactSHA256: nil,
                     artifactBuiltAt: built.map(at), artifactBuildTimeSource: built == nil ? nil : "stamp",
                     outcome: outcome, startedAt: at(started), finishedAt: at(finished),
                     gateFailedAt: gateFailed.map(at), rollbackVerifiedAt: verified.map(at), invoker: invoker)
    }
}
