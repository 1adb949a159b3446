@testable import Console
import Rollout
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
