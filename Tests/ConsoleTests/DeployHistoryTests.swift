@testable import Console
@testable import Rollout
import Testing

/// One definition of a host's time and a wave's, whatever else the deploy did around them.
@Suite("summary times")
struct DeployHistoryTests {
    @Test func aHostIsTimedByItsGatesAndAWaveByItsSpan() throws {
        let t0 = ContinuousClock.now
        var history = DeployHistory()
        let events: [(Double, DeployEvent)] = [
            (0, .step(host: "h1", step: .connect, state: .started, detail: nil)),
            (0, .step(host: "h2", step: .connect, state: .started, detail: nil)),
            (1, .step(host: "h1", step: .upload, state: .ok, detail: nil)),
            (1, .step(host: "h2", step: .upload, state: .failed, detail: "disk full")),
            (2, .waveStarted(index: 1, count: 1, hosts: ["h1"])),
            (2, .step(host: "h1", step: .switch, state: .started, detail: nil)),
            (2.5, .step(host: "h1", step: .switch, state: .ok, detail: nil)),
            (2.5, .step(host: "h1", step: .activate, state: .started, detail: nil)),
            (3.5, .step(host: "h1", step: .activate, state: .ok, detail: nil)),
            (4, .step(host: "h1", step: .health, state: .ok, detail: nil)),
            // A 30 s bake is the wave's; the lease's release at the end is nobody's.
            (34, .step(host: "h1", step: .prune, state: .ok, detail: nil)),
            (35, .step(host: "h1", step: .unlock, state: .ok, detail: nil)),
            (35, .finished(DeployReport(outcome: .partial, deployID: "d-1", release: "1.0.0-aaaaaaaaaaaa", reason: nil, hosts: [], duration: .seconds(35)))),
        ]
        for (seconds, event) in events { history.record(event, at: t0 + .milliseconds(Int(seconds * 1000))) }
        #expect(history.duration(of: "h1") == .seconds(2))
        #expect(history.duration(of: try #require(history.waves.first)) == .seconds(33))
        // A host that never reached its gates: from its first step to its last.
        #expect(history.duration(of: "h2") == .seconds(1))
    }
}

/// A big fleet's summary fits a screen: the hosts that ended well are counted per wave, the
/// others listed (at most 20 per wave), the rest counted.
@Suite("summary at scale")
struct SummaryAtScaleTests {
    @Test func aThousandHostsSummariseInAFewLines() {
        let t0 = ContinuousClock.now
        var history = DeployHistory()
        let names = (1...1000).map { "web-\($0)" }
        history.record(.waveStarted(index: 1, count: 2, hosts: Array(names.prefix(10))), at: t0)
        history.record(.waveStarted(index: 2, count: 2, hosts: Array(names.dropFirst(10))), at: t0 + .seconds(5))
        for (index, name) in names.enumerated() {
            history.record(.step(host: name, step: .switch, state: .started, detail: nil), at: t0 + .seconds(index < 10 ? 0 : 5))
            history.record(.step(host: name, step: .health, state: .ok, detail: nil), at: t0 + .seconds(index < 10 ? 1 : 7))
        }
        let hosts = names.enumerated().map { index, name in
            DeployReport.HostResult(host: name, release: "2.0.0-aaaaaaaaaaaa", state: index >= 970 ? .failed : .promoted,
                                    detail: index >= 970 ? "health: exit 1" : nil)
        }
        let report = DeployReport(outcome: .partial, deployID: "d-1", release: "2.0.0-aaaaaaaaaaaa", reason: nil, hosts: hosts, duration: .seconds(9))
        let lines = SummaryTable(report: report, history: history).lines
        #expect(lines.count <= 30, "\(lines.joined(separator: "\n"))")
        #expect(lines.contains("  10 promoted on 2.0.0-aaaaaaaaaaaa  1.0 s"), "\(lines)")
        #expect(lines.contains("  960 promoted on 2.0.0-aaaaaaaaaaaa  2.0 s"), "\(lines)")
        #expect(lines.filter { $0.contains("health: exit 1") }.count == 20)
        #expect(lines.last == "  … 10 failed more (`cutover status` or --output json lists every host)", "\(lines)")
        // A small fleet keeps a line per host.
        let small = DeployReport(outcome: .promoted, deployID: "d-2", release: nil, reason: nil, hosts: Array(hosts.prefix(5)), duration: .seconds(1))
        #expect(SummaryTable(report: small, history: history).lines.filter { $0.hasPrefix("  web-") }.count == 5)
    }
}
