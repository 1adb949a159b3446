@testable import Console
@testable import Rollout
import Testing

/// The live view's drawing, from events alone: what a host line says, and that a big fleet
/// fits one screen with the rest summarised.
@Suite("live view frames")
struct LiveFrameTests {
    func progress(hosts: Int, _ events: (ContinuousClock.Instant) -> [DeployEvent]) -> (DeployProgress, ContinuousClock.Instant) {
        let start = ContinuousClock.now
        let names = (1...hosts).map { "web-\($0)" }
        var progress = DeployProgress()
        let plan = DeployPlan(app: "shop", deployID: "d-1", release: "2.0.0-abcdef123456", artifactSHA256: "ab",
                              strategy: "rolling", waves: [Array(names.prefix(1)), Array(names.dropFirst())], maxFailures: 0,
                              rollbackPolicy: "standard")
        progress.apply(.planned(plan), at: start)
        for event in events(start) { progress.apply(event, at: start + .seconds(10)) }
        return (progress, start + .seconds(10))
    }

    @Test func aHostLineSaysWhatTheHostDoes() {
        let (state, now) = progress(hosts: 4) { _ in [
            .waveStarted(index: 1, count: 2, hosts: ["web-1"]),
            .uploadProgress(host: "web-2", bytes: 1 << 20, total: 4 << 20),
            .step(host: "web-3", step: .health, state: .failed, detail: "./bin/health: exit 1"),
            .bakeStarted(canary: ["web-1"], baseline: ["web-4"], duration: .seconds(300)),
            .kpiSample(KPISample(wave: 1, kpi: "error_rate", host: "web-1", group: .canary, value: 0.012)),
        ] }
        let lines = LiveFrame(progress: state, now: now, columns: 100, rows: 30, color: false).lines
        #expect(lines[0] == "deploy d-1: shop 2.0.0-abcdef123456  wave 1/2")
        #expect(lines[1].hasPrefix("[") && lines[1].contains("%"))
        #expect(lines.contains { $0.contains("web-1") && $0.contains("baking") && $0.contains("5m00s left") && $0.contains("error_rate=0.012") })
        #expect(lines.contains { $0.contains("web-2") && $0.contains("uploading") && $0.contains("1.0 MiB / 4.0 MiB") })
        #expect(lines.contains { $0.contains("web-3") && $0.contains("FAILED") && $0.contains("health: ./bin/health: exit 1") })
        #expect(lines.allSatisfy { $0.count < 100 })
    }

    @Test func aBigFleetFitsOneScreenAndTheRestIsCounted() {
        let (state, now) = progress(hosts: 50) { _ in
            (1...38).map { DeployEvent.step(host: "web-\($0)", step: .health, state: .ok, detail: nil) }
                + [.step(host: "web-39", step: .switch, state: .failed, detail: "x"),
                   .step(host: "web-40", step: .health, state: .failed, detail: "y"),
                   .step(host: "web-41", step: .switch, state: .started, detail: nil)]
        }
        let lines = LiveFrame(progress: state, now: now, columns: 80, rows: 12, color: false).lines
        #expect(lines.count <= 12)
        // The busy and failed hosts are shown; the rest are counted by state.
        #expect(lines.contains { $0.contains("web-41") && $0.contains("switching") })
        #expect(lines.contains { $0.contains("web-39") && $0.contains("FAILED") })
        #expect(lines.contains { $0.contains("47 more: 38 done, 9 waiting") })
    }
    /// A host still connecting (black-holed, say) shows its own clock; one that moved on shows
    /// the time in its phase, and a rollback (no plan event) still runs the overall clock.
    @Test func eachHostShowsItsOwnClock() {
        let start = ContinuousClock.now
        var progress = DeployProgress(verb: "rollback")
        progress.apply(.step(host: "h1", step: .connect, state: .started, detail: nil), at: start)
        progress.apply(.step(host: "h2", step: .connect, state: .started, detail: nil), at: start)
        progress.apply(.step(host: "h2", step: .rollback, state: .started, detail: nil), at: start + .seconds(2))
        let lines = LiveFrame(progress: progress, now: start + .seconds(14), columns: 100, rows: 20, color: false).lines
        #expect(lines.contains { $0.contains("h1") && $0.contains("connecting") && $0.contains("14s") }, "\(lines)")
        #expect(lines.contains { $0.contains("h2") && $0.contains("rolling back") && $0.contains("12s") }, "\(lines)")
        #expect(lines[1].contains("14s"), "\(lines)")
    }
    /// Baseline hosts say so and show their KPI values; the ETA counts the bake still to run.
    @Test func theBaselineIsShownAndTheETACountsTheBake() {
        let (state, now) = progress(hosts: 2) { _ in [
            .waveStarted(index: 1, count: 2, hosts: ["web-1"]),
            .step(host: "web-1", step: .health, state: .ok, detail: nil),
            .bakeStarted(canary: ["web-1"], baseline: ["web-2"], duration: .seconds(300)),
            .kpiSample(KPISample(wave: 1, kpi: "error_rate", host: "web-2", group: .baseline, value: 0.5)),
        ] }
        let lines = LiveFrame(progress: state, now: now, columns: 100, rows: 30, color: false).lines
        #expect(lines.contains { $0.contains("web-2") && $0.contains("baseline") && $0.contains("error_rate=0.5") }, "\(lines)")
        // The extrapolation from 10 s at 62% says 6 s; the bake alone needs 5 minutes.
        #expect((state.remaining(at: now) ?? .zero) >= .seconds(300))
        #expect(lines[1].hasSuffix("ETA 5m00s"), "\(lines)")
    }

    /// A KPI value past an absolute bound of its rule is marked, and the host's line is red.
    @Test func aKPIPastItsThresholdIsMarked() {
        let (state, now) = progress(hosts: 2) { _ in [
            .waveStarted(index: 1, count: 2, hosts: ["web-1"]),
            .bakeStarted(canary: ["web-1"], baseline: ["web-2"], duration: .seconds(300)),
            .kpiSample(KPISample(wave: 1, kpi: "error_rate", host: "web-1", group: .canary, value: 0.31,
                                 breach: .of(0.31, max: 0.05, min: nil))),
            .kpiSample(KPISample(wave: 1, kpi: "latency", host: "web-1", group: .canary, value: 80, breach: .of(80, max: 100, min: 10))),
            .kpiSample(KPISample(wave: 1, kpi: "error_rate", host: "web-2", group: .baseline, value: 0.01)),
        ] }
        let plain = LiveFrame(progress: state, now: now, columns: 120, rows: 30, color: false).lines
        #expect(plain.contains { $0.contains("web-1") && $0.contains("error_rate=0.31 (over max 0.05) latency=80") }, "\(plain)")
        #expect(plain.contains { $0.contains("web-2") && $0.contains("error_rate=0.01") && !$0.contains("over") }, "\(plain)")
        let colored = LiveFrame(progress: state, now: now, columns: 120, rows: 30, color: true).lines
        #expect(colored.contains { $0.hasPrefix("\u{1B}[31m") && $0.contains("web-1") }, "\(colored)")
        #expect(colored.contains { $0.contains("web-2") && !$0.contains("\u{1B}[31m") }, "\(colored)")
        #expect(KPISample.Breach.of(2, max: nil, min: 5) == .init(bound: .min, limit: 5))
        #expect(KPISample.Breach.of(.nan, max: 1, min: nil) == nil)
    }
}
