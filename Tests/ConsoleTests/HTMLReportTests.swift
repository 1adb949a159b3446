import Analysis
@testable import Console
import Diagnostics
import Foundation
@testable import Rollout
import Testing

/// The report's markup: every string from the run is escaped, nothing is loaded from anywhere,
/// and it is written whatever the outcome.
@Suite("HTML report")
struct HTMLReportTests {
    static let hostile = "<img src=x onerror=alert(1)>"
    static let output = "</td></script><script>alert(\"x\")</script> & 'quoted' \u{1B}[31mred"

    func hostileRun() -> [StampedEvent] {
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        let plan = DeployPlan(app: "web<b>", deployID: "d-1", release: "1.0.0-000000000000", artifactSHA256: String(repeating: "0", count: 64),
                              strategy: "canary", waves: [[Self.hostile], ["h2"]], maxFailures: 0, rollbackPolicy: "standard")
        let events: [DeployEvent] = [
            .started(DeployStart(operation: .deploy, deployID: "d-1", app: "web<b>")),
            .planned(plan),
            .waveStarted(index: 1, count: 2, hosts: [Self.hostile]),
            .step(host: Self.hostile, step: .health, state: .started, detail: nil),
            .check(CheckResult(host: Self.hostile, step: .smoke, check: "host: ./smoke \"$(x)\"", passed: false, detail: Self.output)),
            .step(host: Self.hostile, step: .health, state: .failed, detail: Self.output),
            .kpiSample(KPISample(wave: 1, kpi: "err<or>", host: Self.hostile, group: .canary, value: 3)),
            .kpiSample(KPISample(wave: 1, kpi: "err<or>", host: "h2", group: .baseline, value: .nan)),
            .kpiSample(KPISample(wave: 1, kpi: "err<or>", host: Self.hostile, group: .canary, value: 4)),
            .analysis(CanaryVerdictReport(wave: 1, canary: [Self.hostile], baseline: ["h2"], verdict: .fail, score: 0, reason: Self.output,
                                          kpis: [.init(name: "err<or>", classification: .fail, reason: Self.output, max: 2)])),
            .rollbackStarted(reason: Self.output, hosts: [Self.hostile]),
            .rollbackFinished(hosts: [Self.hostile], failed: [Self.hostile]),
            .finished(DeployReport(outcome: .notConverged, deployID: "d-1", release: "1.0.0-000000000000", reason: Self.output,
                                   hosts: [.init(host: Self.hostile, release: nil, state: .rollbackFailed, detail: Self.output),
                                           .init(host: "h2", release: "0.9.0-000000000000", state: .unreachable, detail: nil)],
                                   duration: .seconds(3))),
        ]
        return events.enumerated().map { StampedEvent(time: start.addingTimeInterval(Double($0.offset) * 0.25), deployID: "d-1", event: $0.element) }
    }

    @Test func everyStringFromTheRunIsEscaped() {
        let html = HTMLReport.html(of: hostileRun(), command: RerunCommand(verb: .deploy, target: "web -i prod", artifact: "'a b.tar.gz'"))
        #expect(!html.contains(Self.hostile))
        #expect(!html.contains("<script"))
        #expect(!html.contains("<b>"))
        #expect(!html.contains("\u{1B}"))
        #expect(html.contains("&lt;img src=x onerror=alert(1)&gt;"))
        #expect(html.contains("&lt;/td&gt;&lt;/script&gt;&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;quoted&#39; \u{FFFD}[31mred"))
        #expect(html.contains("err&lt;or&gt;"))
        // The commands to continue or undo, exactly, and the --limit without the unreachable host.
        #expect(html.contains("cutover resume web -i prod --artifact &#39;a b.tar.gz&#39;"))
        #expect(html.contains("cutover rollback web -i prod</pre>"))
        #expect(html.contains("--limit &#39;!h2&#39;"))
    }

    @Test func theReportIsSelfContained() {
        let html = HTMLReport.html(of: hostileRun(), command: RerunCommand(verb: .deploy, target: "web -i prod"))
        // No scripts, no stylesheets or images to fetch: the only URL is the SVG namespace.
        #expect(!html.contains("<script"))
        #expect(!html.contains("<link"))
        #expect(!html.contains(" src=\""))
        #expect(!html.contains(" href=\""))
        #expect(html.replacingOccurrences(of: "xmlns=\"http://www.w3.org/2000/svg\"", with: "").range(of: "https?://", options: .regularExpression) == nil)
        #expect(html.contains("<style>"))
    }

    @Test func theChartsHaveTheirParts() {
        let html = HTMLReport.html(of: hostileRun(), command: RerunCommand(verb: .deploy, target: "web -i prod"))
        #expect(html.contains("class=\"bar step-health state-failed\""))
        #expect(html.contains("class=\"kpi-line kpi-canary\""))
        // A NaN sample is no data: no line for h2, and no NaN anywhere in the SVG.
        #expect(!html.contains("kpi-line kpi-baseline"))
        #expect(!html.contains("nan"))
        #expect(html.contains("class=\"threshold threshold-max\""))
        #expect(html.contains("class=\"rollback-start\""))
        #expect(html.contains("failed on &lt;img"))
    }

    @Test func theFileIsWrittenWhenTheRunFinishesWhateverItsOutcome() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("report-\(UUID().uuidString).html").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let report = HTMLReport(path: path, command: RerunCommand(verb: .deploy, target: "web -i prod"))
        let events = hostileRun()
        for event in events.dropLast() { report.record(event) }
        #expect(!FileManager.default.fileExists(atPath: path))
        report.record(events[events.count - 1])
        let written = try String(contentsOfFile: path, encoding: .utf8)
        #expect(written.contains("not converged"))
    }

    @Test func secretsAreRedactedBeforeEscaping() {
        let unique = UUID().uuidString
        let secret = "pa<ss>-\(unique)-report"
        SecretRedaction.register(secret)
        let events = [StampedEvent(time: Date(), deployID: "d-1", event: .step(host: "h1", step: .smoke, state: .failed, detail: "token=\(secret)"))]
        let html = HTMLReport.html(of: events, command: RerunCommand(verb: .deploy, target: "web -i prod"))
        #expect(!html.contains(unique))
        #expect(html.contains("token=[secret]"))
    }

    @Test func escapingCoversMarkupQuotesAndControlCharacters() {
        #expect(HTMLText.escape("a<b>&\"'\u{0}\u{7F}\t\n☃") == "a&lt;b&gt;&amp;&quot;&#39;\u{FFFD}\u{FFFD}\t\n☃")
    }
}
