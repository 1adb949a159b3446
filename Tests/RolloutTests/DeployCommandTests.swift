import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
import TestSupport

/// `cutover deploy` as a pipeline runs it: JSON Lines events and exit codes.
@Suite("cutover deploy from a pipeline", .timeLimit(.minutes(3)))
struct DeployCommandTests {
    func objects(_ text: String) throws -> [[String: Any]] {
        try text.split(separator: "\n").map {
            try #require(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
    }

    /// A `run_on: local` smoke test runs with a minimal environment: the runner's secrets (a CI
    /// job's AWS key) stay out of it; what the playbook names in `env:` and Cutover's own
    /// `CUTOVER_*` values come in.
    @Test func localSmokeCommandsSeeOnlyAMinimalEnvironment() async throws {
        try await TestFleet.with(hosts: 1) { fleet in
            let fixture = try DeployFixture(fleet: fleet)
            let dump = fixture.directory + "/smoke-env"
            let playbook = try fixture.playbook(strategy: "all-at-once", extra: """
                smoke:
                  - command: env > \(dump)-{{ host }}
                    run_on: local
                    env: [DEPLOY_VISIBLE]
                """)
            let result = try await Shell.runDetached(
                [RepositoryPaths.cutoverExecutable, "deploy", playbook, "-i", fleet.inventoryPath, "--ssh-config", "none",
                 "--artifact", try await fixture.artifact(version: "1.0.0")],
                environment: ["AWS_SECRET_ACCESS_KEY": "x-runner-secret", "DEPLOY_VISIBLE": "yes", "LC_TIME": "C", "TZ": "UTC"])
            #expect(result.status == 0, "\(result.output)")
            let text = try String(contentsOfFile: dump + "-h1", encoding: .utf8)
            let names = Set(text.split(separator: "\n").compactMap { $0.split(separator: "=", maxSplits: 1).first.map(String.init) })
            #expect(!text.contains("x-runner-secret"), "\(text)")
            #expect(!names.contains("AWS_SECRET_ACCESS_KEY"))
            #expect(text.contains("DEPLOY_VISIBLE=yes\n"), "\(text)")
            #expect(text.contains("CUTOVER_HOST=h1\n"), "\(text)")
            #expect(text.contains("LC_TIME=C\n") && text.contains("TZ=UTC\n"), "\(text)")
            #expect(names.isSuperset(of: ["PATH", "HOME", "CUTOVER_RELEASE", "CUTOVER_APP"]), "\(names.sorted())")
            let allowed: Set<String> = ["PATH", "HOME", "LANG", "TZ", "TMPDIR", "DEPLOY_VISIBLE", "PWD", "SHLVL", "_"]
            let unexpected = names.filter { !allowed.contains($0) && !$0.hasPrefix("LC_") && !$0.hasPrefix("CUTOVER_") }
            #expect(unexpected.isEmpty, "\(unexpected.sorted())")
        }
    }

    /// The password in an `http:` health check's URL is a secret: the check's failure names the
    /// URL, and neither the terminal, the JSON events, the JUnit file nor the HTML report shows
    /// the password (hostile review).
    @Test func aHealthCheckURLsPasswordIsShownNowhere() async throws {
        try await TestFleet.with(hosts: 1) { fleet in
            let fixture = try DeployFixture(fleet: fleet)
            let password = "Hunter2Super%53ecret"  // percent-encoded S: both forms must go
            let plain = try fixture.playbook(strategy: "all-at-once")
            let text = try String(contentsOfFile: plain, encoding: .utf8)
                .replacingOccurrences(of: "health:\n", with: "health:\n  - http: http://deployer:\(password)@127.0.0.1:1/health\n")
            try text.write(toFile: plain, atomically: true, encoding: .utf8)
            let (junit, report) = (fixture.directory + "/junit.xml", fixture.directory + "/report.html")
            let base = [RepositoryPaths.cutoverExecutable, "deploy", plain, "-i", fleet.inventoryPath, "--ssh-config", "none",
                        "--artifact", try await fixture.artifact(version: "1.0.0"), "--junit", junit, "--report", report]
            let textRun = try await Shell.runDetached(base)
            let jsonRun = try await Shell.runDetached(base + ["--output", "json"])
            #expect(textRun.status != 0 && jsonRun.status != 0, "\(textRun.output)")
            #expect(textRun.output.contains("deployer:[secret]@127.0.0.1:1/health"), "\(textRun.output)")
            for (name, output) in [("text", textRun.output), ("json", jsonRun.output),
                                   ("junit", try String(contentsOfFile: junit, encoding: .utf8)),
                                   ("report", try String(contentsOfFile: report, encoding: .utf8))] {
                #expect(!output.contains("Hunter2") , "\(name) shows the password")
            }
        }
    }

    @Test func jsonEventsAndExitCodesForPromoteAndRollback() async throws {
        try await TestFleet.with(hosts: 2) { fleet in
            let fixture = try DeployFixture(fleet: fleet)
            let playbook = try fixture.playbook(strategy: "{ rolling: { batch: 1 } }")
            let good = try await fixture.artifact(version: "1.0.0")
            let bad = try await fixture.artifact(version: "1.1.0", healthy: false)
            let base = [RepositoryPaths.cutoverExecutable]
            let common = ["-i", fleet.inventoryPath, "--ssh-config", "none", "--output", "json"]

            let plan = try await Shell.runDetached(base + ["plan", playbook] + common + ["--artifact", good])
            #expect(plan.status == 0)
            #expect(try objects(plan.stdout).first?["waves"] as? [[String]] == [["h1"], ["h2"]])
            #expect(fixture.current("h1") == nil, "plan touched a host")

            let promoted = try await Shell.runDetached(base + ["deploy", playbook] + common + ["--artifact", good])
            #expect(promoted.status == 0)
            let events = try objects(promoted.stdout)
            #expect(events.allSatisfy { $0["schema"] as? Int == 1 && $0["time"] is String })
            let kinds = events.compactMap { $0["event"] as? String }
            #expect(kinds.first == "started")
            #expect(kinds.dropFirst().first == "plan")
            #expect(kinds.last == "finished")
            #expect(kinds.contains("wave_started"))
            #expect(events.last?["outcome"] as? String == "promoted")

            let junit = fixture.directory + "/junit.xml"
            let rolledBack = try await Shell.runDetached(base + ["deploy", playbook] + common + ["--artifact", bad, "--junit", junit])
            #expect(rolledBack.status == 3)
            let last = try objects(rolledBack.stdout).last
            #expect(last?["outcome"] as? String == "rolled_back")
            #expect(try objects(rolledBack.stdout).contains { $0["event"] as? String == "rollback_started" })
            // The JUnit file parses, and names the failed health check as a failure.
            let counter = JUnitCounter()
            let parser = XMLParser(data: try Data(contentsOf: URL(fileURLWithPath: junit)))
            parser.delegate = counter
            #expect(parser.parse())
            #expect(counter.testcases >= 3)
            #expect(counter.failures >= 1)
            #expect(counter.failureMessages.contains { $0.contains("./bin/health") })

            let status = try await Shell.runDetached(base + ["status", playbook] + common)
            #expect(status.status == 0)
            let hosts = try objects(status.stdout)
            #expect(hosts.count == 2)
            #expect(hosts.allSatisfy { $0["reachable"] as? Bool == true && $0["lock"] is NSNull })
            #expect(Set(hosts.compactMap { $0["current"] as? String }).count == 1)
        }
    }

    @Test func aPlaybookMistakeIsADiagnosticWithExit65() async throws {
        try await TestFleet.with(hosts: 1) { fleet in
            let fixture = try DeployFixture(fleet: fleet)
            let path = fixture.directory + "/broken.yml"
            try "app: web\ndeploy_root: /srv/web\nstrategy: { rolling: { batch: 250% } }\nhelth: []\n".write(toFile: path, atomically: true, encoding: .utf8)
            let result = try await Shell.runDetached([RepositoryPaths.cutoverExecutable, "deploy", path, "-i", fleet.inventoryPath,
                                                      "--artifact", try await fixture.artifact(version: "1.0.0")])
            #expect(result.status == 65)
            #expect(result.stderr.contains("\(path):4:1: error: unknown key 'helth'"))
            #expect(result.stderr.contains("\(path):3:"))
        }
    }
}

/// Counts test cases and failures in a JUnit file.
final class JUnitCounter: NSObject, XMLParserDelegate {
    var testcases = 0
    var failures = 0
    var failureMessages: [String] = []

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        if name == "testcase" { testcases += 1 }
        if name == "failure" {
            failures += 1
            failureMessages.append(attributes["message"] ?? "")
        }
    }
}
