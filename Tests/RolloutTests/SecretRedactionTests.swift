import Foundation
@testable import Rollout
import Testing
import TestSupport

/// Secret inventory vars reach the hosts' hooks and nothing else: not the text output, the
/// JSON events, the JUnit file, the verbose trace, nor the command lines `ps` shows on the host.
@Suite("secrets at deploy time", .timeLimit(.minutes(4)))
struct SecretRedactionTests {
    @Test func aSecretUsedByAHookIsNeverShownAnywhere() async throws {
        try await TestFleet.with(hosts: 2) { fleet in
            let fixture = try DeployFixture(fleet: fleet)
            let password = "pa ss'w\"rd $(id)-\(UUID().uuidString)"
            let token = "tok-\(UUID().uuidString)"
            let inventory = fleet.directory + "/secret-inventory.yml"
            try (try String(contentsOfFile: fleet.inventoryPath, encoding: .utf8)).appending("""

            groups:
              web: { hosts: [h1, h2], vars: { db_password: { secret: true, env: CUTOVER_TEST_DB_PASSWORD }, api_token: { secret: true, value: "\(token)" } } }
            """).write(toFile: inventory, atomically: true, encoding: .utf8)
            // The hook records a hash of what it received, says it is running, sleeps while the
            // test reads `ps`, then prints the secrets and fails: they must come out redacted.
            let playbook = try fixture.playbook(strategy: "all-at-once", extra: "")
            let hooked = fixture.directory + "/secret.yml"
            try (try String(contentsOfFile: playbook, encoding: .utf8)).replacingOccurrences(of: "  activate: ./bin/restart", with: """
              activate: ./bin/restart
              after_switch: |
                printf '%s/%s' "$DB_PASSWORD" "$API_TOKEN" | sha256sum > "$CUTOVER_DEPLOY_ROOT/shared/secret-hash"
                touch "$CUTOVER_DEPLOY_ROOT/shared/hook-running"
                sleep 6  # long enough for a loaded machine's ps to catch it
                rm -f "$CUTOVER_DEPLOY_ROOT/shared/hook-running"
                echo "leaked $DB_PASSWORD $API_TOKEN" >&2
                exit 1
            """).write(toFile: hooked, atomically: true, encoding: .utf8)
            let good = try await fixture.artifact(version: "1.0.0")
            let artifact = try await fixture.artifact(version: "1.1.0")
            // A `let`: a `var` sent into the `async let` below is a data-race error under -sanitize=thread.
            let environment = ProcessInfo.processInfo.environment.merging(["CUTOVER_TEST_DB_PASSWORD": password]) { _, new in new }
            let junit = fixture.directory + "/secret-junit.xml"
            let base = [RepositoryPaths.cutoverExecutable, "deploy", hooked, "-i", inventory, "--ssh-config", "none", "--artifact", artifact, "-v"]

            // The password as JSON writes it (`\"` for `"`), which a careless redaction misses.
            let encoded = String(decoding: try JSONSerialization.data(withJSONObject: [password]), as: UTF8.self)
            let jsonPassword = String(encoded.dropFirst(2).dropLast(2))
            #expect(jsonPassword != password)
            // A release to go back to.
            let first = try await Shell.runDetached([RepositoryPaths.cutoverExecutable, "deploy", playbook, "-i", inventory,
                                                     "--ssh-config", "none", "--artifact", good], environment: environment)
            #expect(first.status == 0, "\(first.output)")

            for output in ["json", "text"] {
                let running = fleet.member("h1").srv + "/web/shared/hook-running"
                try? FileManager.default.removeItem(atPath: running)
                let extra = output == "json" ? ["--output", "json", "--junit", junit] : []
                async let deploy = Shell.runDetached(base + extra, environment: environment)
                // While the hook sleeps: every command line on the machine.
                var listings: [String] = []
                for _ in 0..<300 where listings.count < 5 {
                    if FileManager.default.fileExists(atPath: running) {
                        listings.append(try await Shell.runDetached(["ps", "-eo", "args"]).stdout)
                    }
                    try await Task.sleep(for: .milliseconds(100))
                }
                let result = try await deploy
                #expect(result.status == 3, "\(output): \(result.output)")
                #expect(!listings.isEmpty, "the hook was never seen running")
                #expect(listings.contains { $0.contains("sleep 6") }, "ps did not show the hook")
                for listing in listings {
                    #expect(!listing.contains(password) && !listing.contains(token), "a secret on a command line:\n\(listing)")
                }
                for (name, text) in [("stdout", result.stdout), ("stderr", result.stderr)] {
                    #expect(!text.contains(password) && !text.contains(token), "\(output) \(name) shows a secret")
                    #expect(!text.contains(jsonPassword), "\(output) \(name) shows a secret, JSON-escaped")
                }
                // The hook's output did carry them: redacted, not dropped.
                #expect(result.output.contains("leaked [secret] [secret]"), "\(output): \(result.output)")
                // The verbose trace shows the commands and names the variables, never the values.
                #expect(result.stderr.contains("$ ") && result.stderr.contains("DB_PASSWORD"))
            }
            let report = try String(contentsOfFile: junit, encoding: .utf8)
            #expect(report.contains("leaked [secret] [secret]"))
            #expect(!report.contains(password) && !report.contains(token))

            // The hook received the exact values.
            let expected = String(try await Shell.runDetached(["sha256sum"], input: "\(password)/\(token)").stdout.prefix(64))
            #expect(expected.count == 64)
            for host in ["h1", "h2"] {
                let hash = try String(contentsOfFile: fleet.member(host).srv + "/web/shared/secret-hash", encoding: .utf8)
                #expect(hash.hasPrefix(expected), "\(host) received something else")
            }

            // Ad-hoc commands get them too, and their output is redacted the same way.
            let exec = try await Shell.runDetached([RepositoryPaths.cutoverExecutable, "exec", "-i", inventory, "--ssh-config", "none",
                                                    "--", "printf '%s\\n' \"$DB_PASSWORD\""], environment: environment)
            #expect(exec.status == 0, "\(exec.output)")
            #expect(exec.stdout.contains("h1 | [secret]") && !exec.output.contains(password))
            let execJSON = try await Shell.runDetached([RepositoryPaths.cutoverExecutable, "exec", "-i", inventory, "--ssh-config", "none",
                                                        "--output", "json", "--", "printf '%s\\n' \"$DB_PASSWORD\""], environment: environment)
            #expect(execJSON.stdout.contains("\"stdout\":\"[secret]\\n\"") && !execJSON.stdout.contains(jsonPassword), "\(execJSON.output)")
        }
    }

    /// A secret is exported to the user's hooks and checks only, never ahead of Cutover's own
    /// commands: one named `tar_options` (GNU tar reads `$TAR_OPTIONS`) left the release without
    /// `bin/` when the secrets were exported before every command, Cutover's `tar` included.
    @Test func secretsReachHooksAndChecksButNotCutoversOwnCommands() async throws {
        try await TestFleet.with(hosts: 1) { fleet in
            let fixture = try DeployFixture(fleet: fleet)
            try (try String(contentsOfFile: fleet.inventoryPath, encoding: .utf8)).appending("""

            groups:
              web: { hosts: [h1], vars: { tar_options: { secret: true, value: "--exclude=bin" } } }
            """).write(toFile: fleet.inventoryPath, atomically: true, encoding: .utf8)
            let plain = try fixture.playbook(strategy: "all-at-once")
            let playbook = (try String(contentsOfFile: plain, encoding: .utf8))
                .replacingOccurrences(of: "  activate: ./bin/restart", with: """
                  activate: ./bin/restart
                  after_switch: printf '%s' "$TAR_OPTIONS" > "$CUTOVER_DEPLOY_ROOT/shared/hook-saw"
                """)
                .replacingOccurrences(of: "health:\n", with: "health:\n  - command: test \"$TAR_OPTIONS\" = --exclude=bin\n")
            try playbook.write(toFile: plain, atomically: true, encoding: .utf8)
            let artifact = try await fixture.artifact(version: "1.0.0")
            let log = DeployEventLog()
            let report = try await Deployment(fixture.request(plain, artifact: artifact)).run(events: log.sink)
            #expect(report.outcome == .promoted, "\(log.details(.activate, .failed)) \(log.details(.health, .failed))")
            let release = try #require(report.release)
            #expect(FileManager.default.fileExists(atPath: fleet.member("h1").srv + "/web/releases/\(release)/bin/restart"))
            // The hook and the check did receive it.
            #expect((try? String(contentsOfFile: fleet.member("h1").srv + "/web/shared/hook-saw", encoding: .utf8)) == "--exclude=bin")
        }
    }
}
