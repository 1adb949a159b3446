import Analysis
import Foundation
import Rollout
import Testing
import TestSupport

/// The demo's own playbook (Playbooks/demo.yml) on real hosts running the demo app, judged from a
/// real Prometheus scraping every host's /metrics: what `Scripts/demo` shows, as a test.
@Suite("The demo's canary, judged by Prometheus")
struct DemoCanaryTests {
    @Test func aReleaseWhoseErrorRateRisesOnTheCanaryIsRolledBackAndAGoodOneIsPromoted() async throws {
        try await TestFleet.with(hosts: 4) { fleet in
            let app = try DemoApp(fleet: fleet)
            let prometheus = try await PrometheusServer.start(
                in: app.directory, address: "127.0.0.1", targets: fleet.members.map { "\($0.address):8080" })
            defer { prometheus.stop() }
            // As the demo does: the inventory tells the playbook where Prometheus is.
            let inventory = try String(contentsOfFile: fleet.inventoryPath, encoding: .utf8) + """
                groups:
                  monitored:
                    hosts: [\(fleet.members.map(\.name).joined(separator: ", "))]
                    vars: { prometheus_url: "\(prometheus.url)" }

                """
            try inventory.write(toFile: fleet.inventoryPath, atomically: true, encoding: .utf8)
            let playbook = RepositoryPaths.root + "/Playbooks/demo.yml"
            func request(_ artifact: String) -> DeployRequest {
                DeployRequest(connection: ConnectionSettings(inventoryPath: fleet.inventoryPath, sshConfigPath: "none"),
                              playbook: playbook, artifact: artifact)
            }

            let good = try await Deployment(request(try await app.artifact(version: "1.0.0"))).run(events: { _ in })
            #expect(good.outcome == .promoted, "\(good.reason ?? "")")

            let log = DeployEventLog()
            let bad = try await Deployment(request(try await app.artifact(version: "1.1.0", errorPercent: 40))).run(events: log.sink)
            #expect(bad.outcome == .rolledBack, "\(bad.reason ?? "")")
            let verdict = try #require(log.verdicts.first)
            #expect(verdict.wave == 1 && verdict.verdict == .fail)
            #expect(verdict.canary.count == 1 && verdict.baseline.count == 1)
            let reason = verdict.kpis.first { $0.name == "error_rate" }?.reason ?? ""
            #expect(reason.contains("> max 5") && reason.contains("Mann-Whitney"), "\(reason)")
            // Only the canary was touched, and it is back: every host's app answers as 1.0.0.
            #expect(log.rollbacks == [verdict.canary])
            for member in fleet.members {
                let (status, body) = try await DemoApp.get("http://\(member.address):8080/health")
                #expect(status == 200 && body == "ok 1.0.0", "\(member.name): \(status) \(body)")
            }
        }
    }
}
