import Foundation
import Testing
import TestSupport

/// Secrets in the forms a plain search misses: printed by a host in two writes (each SSH packet
/// holds half), a multi-line value (a PEM key) whose lines are shown apart, and a value with a
/// quote that a `{{ vars.NAME }}` template puts into a command shell-quoted. None of them may
/// reach the JSON events, the `--verbose` trace, the plain text, the JUnit file or the HTML report.
@Suite("secrets in every form they take", .timeLimit(.minutes(4)))
struct SecretFormsTests {
    /// Everything one deploy wrote.
    struct Outputs {
        var stdout: String
        var stderr: String
        var junit: String
        var report: String

        var all: [(name: String, text: String)] {
            [("JSON events", stdout), ("--verbose trace and plain text", stderr), ("JUnit file", junit), ("HTML report", report)]
        }
    }

    /// Deploys to one host with the group vars `vars`, the playbook's `hooks` section replaced
    /// by `hooks` and `extra` appended, with JSON events, `--verbose`, `--junit` and `--report`.
    func deploy(_ fleet: TestFleet, vars: String, hooks: String, extra: String = "", environment: [String: String] = [:]) async throws -> Outputs {
        let fixture = try DeployFixture(fleet: fleet)
        let inventory = fleet.directory + "/secret-inventory.yml"
        try (try String(contentsOfFile: fleet.inventoryPath, encoding: .utf8)).appending("""

        groups:
          web: { hosts: [h1], vars: { \(vars) } }
        """).write(toFile: inventory, atomically: true, encoding: .utf8)
        let playbook = try fixture.playbook(strategy: "all-at-once", extra: extra)
        try (try String(contentsOfFile: playbook, encoding: .utf8)).replacingOccurrences(of: "  activate: ./bin/restart", with: hooks)
            .write(toFile: playbook, atomically: true, encoding: .utf8)
        let artifact = try await fixture.artifact(version: "1.0.0")
        let junit = fixture.directory + "/junit.xml"
        let report = fixture.directory + "/report.html"
        let result = try await Shell.runDetached(
            [RepositoryPaths.cutoverExecutable, "deploy", playbook, "-i", inventory, "--ssh-config", "none", "--artifact", artifact,
             "-v", "--output", "json", "--junit", junit, "--report", report],
            environment: ProcessInfo.processInfo.environment.merging(environment) { _, new in new })
        #expect(result.status != 0, "the deploy was meant to fail: \(result.output)")
        return Outputs(stdout: result.stdout, stderr: result.stderr,
                       junit: (try? String(contentsOfFile: junit, encoding: .utf8)) ?? "(no JUnit file)",
                       report: (try? String(contentsOfFile: report, encoding: .utf8)) ?? "(no report)")
    }

    func expectHidden(_ fragments: [String], in outputs: Outputs, sourceLocation: SourceLocation = #_sourceLocation) {
        for (name, text) in outputs.all {
            for fragment in fragments {
                #expect(!text.contains(fragment), "the \(name) shows '\(fragment)':\n\(text)", sourceLocation: sourceLocation)
            }
        }
    }

    @Test func aSecretAHostPrintsInTwoWritesIsHiddenWhole() async throws {
        try await TestFleet.with(hosts: 1) { fleet in
            let token = "split-\(UUID().uuidString)"
            let (first, second) = (String(token.prefix(20)), String(token.dropFirst(20)))
            let outputs = try await deploy(fleet, vars: "split_token: { secret: true, value: \"\(token)\" }", hooks: """
              activate: ./bin/restart
              after_switch: |
                printf '%s' "$SPLIT_TOKEN" | head -c 20
                sleep 0.2
                printf '%s\\n' "$SPLIT_TOKEN" | tail -c +21
                exit 1
            """)
            expectHidden([token, first, second], in: outputs)
            // Shown redacted, whole, as it arrived: not dropped.
            #expect(outputs.stderr.contains("h1 | [secret]"), "\(outputs.stderr)")
            #expect(outputs.stdout.contains("[secret]"))
        }
    }

    @Test func eachLineOfAMultiLineSecretIsHidden() async throws {
        try await TestFleet.with(hosts: 1) { fleet in
            let lines = ["MIIE" + UUID().uuidString.replacingOccurrences(of: "-", with: ""),
                         "QkFE" + UUID().uuidString.replacingOccurrences(of: "-", with: "")]
            let key = "-----BEGIN TEST PRIVATE KEY-----\n\(lines.joined(separator: "\n"))\n-----END TEST PRIVATE KEY-----\n"
            let outputs = try await deploy(fleet, vars: "tls_key: { secret: true, env: CUTOVER_TEST_TLS_KEY }", hooks: """
              activate: ./bin/restart
              after_switch: |
                printf '%s\\n' "$TLS_KEY"
                exit 1
            """, environment: ["CUTOVER_TEST_TLS_KEY": key])
            expectHidden(lines, in: outputs)
            #expect(outputs.stdout.contains("[secret] | [secret]"), "\(outputs.stdout)")
        }
    }

    @Test func aSecretWithAQuoteInATemplateIsHiddenShellQuoted() async throws {
        try await TestFleet.with(hosts: 1) { fleet in
            let core = UUID().uuidString
            let token = "it's-\(core)"
            let outputs = try await deploy(fleet, vars: "api_token: { secret: true, value: \"\(token)\" }", hooks: """
              activate: ./bin/restart
            """, extra: """
            smoke:
              - command: "test {{ vars.api_token }} = never"
            """)
            expectHidden([core], in: outputs)
            // The command is still shown, with the value masked inside its quotes.
            #expect(outputs.stdout.contains("test '[secret]' = never"), "\(outputs.stdout)")
        }
    }
}
