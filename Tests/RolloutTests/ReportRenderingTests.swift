import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
import TestSupport

/// `cutover deploy --report FILE` from a real canary deploy (real sshd hosts, a real Prometheus),
/// opened in headless Chromium: the DOM after rendering has the timeline bars and the KPI lines,
/// and the screenshot shows them in their colours.
@Suite("The HTML report in headless Chromium", .timeLimit(.minutes(3)))
struct ReportRenderingTests {
    // The report's colours (Sources/Console/Report/ChartPalette.swift).
    static let canary = "#e8590c"
    static let baseline = "#1c7ed6"
    static let bake = "#ffe8cc"
    static let threshold = "#c92a2a"
    static let relativeLimit = "#ae3ec9"

    func count(_ needle: String, in text: String) -> Int {
        text.components(separatedBy: needle).count - 1
    }

    @Test func aCanaryRolledBackByItsKPIsRendersItsTimelineAndCharts() async throws {
        try await TestFleet.with(hosts: 4) { fleet in
            let fixture = try DeployFixture(fleet: fleet)
            // Each host's "app" exports its error ratio to Prometheus: 0.4 on release 2.x, else 0.01.
            let first = try TinyHTTPServer(address: fleet.members[0].address)
            let apps = [first] + (try fleet.members.dropFirst().map { try TinyHTTPServer(address: $0.address, port: first.port) })
            defer { for app in apps { app.stop() } }
            for (app, member) in zip(apps, fleet.members) {
                let version = member.srv + "/web/current/VERSION"
                app.serve {
                    let running = (try? String(contentsOfFile: version, encoding: .utf8)) ?? ""
                    return "# TYPE app_error_ratio gauge\napp_error_ratio \(running.hasPrefix("2.") ? 0.4 : 0.01)\n"
                }
            }
            let prometheus = try await PrometheusServer.start(
                in: fixture.directory, address: fleet.members[0].address, targets: fleet.members.map { "\($0.address):\(first.port)" })
            defer { prometheus.stop() }
            // Two KPIs: the error ratio against a relative limit over the baseline, and a latency
            // read on each host (noisy; about 30 ms on 2.x, about 10 on 1.x) against an absolute bound.
            let playbook = try fixture.playbook(strategy: """
            { canary: { steps: [ { hosts: 1, bake: 3s }, { percent: 100 } ] } }
            """, extra: """
            kpis:
              errors:
                prometheus: { url: "\(prometheus.url)", query: 'app_error_ratio{instance="{{ address }}:\(first.port)"}' }
                interval: 400ms
                max_increase: 50%
                direction: increase
                critical: true
              latency_ms:
                command: "n=$(od -An -N1 -tu1 /dev/urandom); case $(cat VERSION) in 2.*) echo $((28 + n % 6));; *) echo $((9 + n % 4));; esac"
                interval: 400ms
                max: 20
                direction: increase
            """)
            let cutover = [RepositoryPaths.cutoverExecutable]
            let common = ["-i", fleet.inventoryPath, "--ssh-config", "none"]
            let goodReport = fixture.directory + "/good.html"
            let v1 = try await Shell.runDetached(cutover + ["deploy", playbook, "--artifact", try await fixture.artifact(version: "1.0.0"),
                                                            "--report", goodReport] + common)
            #expect(v1.status == 0, "\(v1.stderr)")
            #expect(try String(contentsOfFile: goodReport, encoding: .utf8).contains("class=\"badge outcome good\">promoted</span>"))

            // Release 2.0.0 is judged bad on the canary and rolled back: the report is written all the same,
            // next to the JSON events and the JUnit file.
            let report = fixture.directory + "/bad report.html"
            let junit = fixture.directory + "/junit.xml"
            let v2 = try await Shell.runDetached(cutover + ["deploy", playbook, "--artifact", try await fixture.artifact(version: "2.0.0"),
                                                            "--report", report, "--junit", junit, "--output", "json"] + common)
            #expect(v2.status == 3, "\(v2.stderr)")
            let validation = try await EventSchemaValidator.validate(v2.stdout)
            #expect(validation.valid, "\(validation.output)")
            #expect(count("\"event\":\"kpi_sample\"", in: v2.stdout) >= 8)
            let counter = JUnitCounter()
            let parser = XMLParser(data: try Data(contentsOf: URL(fileURLWithPath: junit)))
            parser.delegate = counter
            #expect(parser.parse())
            #expect(counter.failureMessages.contains { $0.contains("errors") })

            // The DOM Chromium built: a bar per step of every host, both KPI charts with canary and
            // baseline lines, their bound and relative limit, the verdict, and every host's outcome.
            let dom = try await HeadlessChromium.dumpDOM(report)
            #expect(count("<rect class=\"bar ", in: dom) >= 4 * 3, "connect, lease and upload on 4 hosts at least")
            #expect(dom.contains("class=\"bar step-switch state-ok\" data-host=\"h1\""))
            #expect(dom.contains("class=\"bar step-rollback state-ok\" data-host=\"h1\""))
            #expect(dom.contains("<rect class=\"bake\""))
            #expect(count("<svg class=\"kpi-chart\"", in: dom) == 2)
            #expect(count("class=\"kpi-line kpi-canary\"", in: dom) == 2)
            #expect(count("class=\"kpi-line kpi-baseline\"", in: dom) == 2)
            #expect(dom.contains("class=\"threshold threshold-max\""))
            #expect(dom.contains("class=\"threshold threshold-relative\""))
            #expect(dom.contains("class=\"badge outcome bad\">rolled back</span>"))
            #expect(dom.contains("class=\"badge verdict bad\">fail</span>"))
            #expect(count("class=\"badge host-state", in: dom) == 4)

            // The pixels: not blank, and the chart colours are there in quantity (legend swatches are a few dozen pixels).
            let png = fixture.directory + "/report.png"
            try await HeadlessChromium.screenshot(report, to: png, width: 1280, height: 1800)
            let pixels = try await PNGPixels.count(png, colours: [Self.canary, Self.baseline, Self.bake, Self.threshold, Self.relativeLimit])
            #expect(pixels.width == 1280 && pixels.height == 1800)
            #expect(pixels.nonBackground > pixels.width * pixels.height / 10, "the screenshot is (nearly) blank")
            #expect(pixels.counts[Self.canary, default: 0] >= 300, "\(pixels.counts)")
            #expect(pixels.counts[Self.baseline, default: 0] >= 300, "\(pixels.counts)")
            #expect(pixels.counts[Self.bake, default: 0] >= 2000, "\(pixels.counts)")
            #expect(pixels.counts[Self.threshold, default: 0] >= 100, "\(pixels.counts)")
            #expect(pixels.counts[Self.relativeLimit, default: 0] >= 100, "\(pixels.counts)")
            if let keep = ProcessInfo.processInfo.environment["CUTOVER_KEEP_REPORT"] {
                try? FileManager.default.removeItem(atPath: keep)
                try FileManager.default.copyItem(atPath: png, toPath: keep)
                try? FileManager.default.removeItem(atPath: keep + ".html")
                try FileManager.default.copyItem(atPath: report, toPath: keep + ".html")
            }
        }
    }
}
