import Analysis
import Console
import Foundation
@testable import Rollout
import Testing

/// The JUnit file CI systems track across runs: names stay the same from one deploy to the
/// next (no release ids), details go to the message, one suite per wave.
@Suite("JUnit report")
struct JUnitReportTests {
    /// One deploy of `release`: a pushed host, a wave that switches and checks, a canary verdict.
    func junit(release: String, failHealth: Bool) throws -> String {
        let path = NSTemporaryDirectory() + "junit-\(UUID().uuidString).xml"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let report = JUnitReport(path: path)
        let kpi = CanaryVerdictReport.KPIResult(name: "error_rate", classification: failHealth ? .high : .pass, reason: "canary 0.4% vs 0.3%",
                                                canaryAggregate: 0.4, baselineAggregate: 0.3, aggregate: "mean", max: 5, min: nil,
                                                maxIncrease: nil, critical: false)
        let events: [DeployEvent] = [
            .step(host: "h1", step: .upload, state: .started, detail: nil),
            .step(host: "h1", step: .upload, state: .ok, detail: "1024 bytes, sha256 verified"),
            .waveStarted(index: 1, count: 1, hosts: ["h1"]),
            .step(host: "h1", step: .switch, state: .started, detail: nil),
            .step(host: "h1", step: .switch, state: .ok, detail: "current -> \(release) (was 1.0.0-000000000001)"),
            .step(host: "h1", step: .health, state: .started, detail: nil),
            .step(host: "h1", step: .health, state: failHealth ? .failed : .ok, detail: failHealth ? "./bin/health: exit 1" : "1 check passed"),
            .analysis(CanaryVerdictReport(wave: 1, canary: ["h1"], baseline: ["h2"], verdict: failHealth ? .fail : .pass, score: 100,
                                          reason: "ok", kpis: [kpi])),
            .finished(DeployReport(outcome: failHealth ? .rolledBack : .promoted, deployID: "d-1", release: release, reason: nil,
                                   hosts: [], duration: .seconds(1))),
        ]
        for event in events { report.record(event) }
        return try String(contentsOfFile: path, encoding: .utf8)
    }

    @Test func namesAreStableAcrossDeploysAndDetailsGoToTheMessage() throws {
        let first = try junit(release: "1.4.0-f7f3aaaaaaaa", failHealth: false)
        let second = try junit(release: "1.5.0-0123bbbbbbbb", failHealth: true)
        func names(_ xml: String) -> [String] {
            xml.components(separatedBy: " name=\"").dropFirst().map { String($0.prefix { $0 != "\"" }) }
        }
        #expect(names(first) == names(second), "\(names(first)) vs \(names(second))")
        #expect(names(first) == ["cutover", "push", "h1.upload", "wave 1", "h1.switch", "h1.health", "canary.error_rate"], "\(names(first))")
        #expect(!names(second).contains { $0.contains("1.5.0") })
        // The release and the failure are in the body, not the name.
        #expect(first.contains("<system-out>current -&gt; 1.4.0-f7f3aaaaaaaa (was 1.0.0-000000000001)</system-out>"), "\(first)")
        #expect(second.contains("<failure message=\"./bin/health: exit 1\"/>"), "\(second)")
        #expect(second.contains("classname=\"cutover.wave1\""), "\(second)")
    }
}
