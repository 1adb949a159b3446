import Foundation
import Testing
import TestSupport

/// `--output json` of every verb, from real runs on real sshd hosts, checked line by line
/// against the published JSON Schema by a real validator (python3-jsonschema).
@Suite("JSON events follow Schemas/events.schema.json", .timeLimit(.minutes(3)))
struct EventSchemaTests {
    func objects(_ text: String) throws -> [[String: Any]] {
        try text.split(separator: "\n").map {
            try #require(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
    }

    @Test func everyLineOfEveryVerbIsValid() async throws {
        try await TestFleet.with(hosts: 3) { fleet in
            let fixture = try DeployFixture(fleet: fleet)
            let playbook = try fixture.playbook(strategy: "{ rolling: { batch: 1 } }", extra: """
            smoke:
              - command: echo "smoke <ok> & \\"quoted\\" on {{ host }}"
            """)
            let good = try await fixture.artifact(version: "1.0.0")
            let newer = try await fixture.artifact(version: "1.2.0")
            let bad = try await fixture.artifact(version: "1.1.0", healthy: false)
            let cutover = [RepositoryPaths.cutoverExecutable]
            let common = ["-i", fleet.inventoryPath, "--ssh-config", "none", "--output", "json"]
            var runs: [(name: String, status: Int32, stdout: String)] = []
            for (name, arguments) in [
                ("plan", ["plan", playbook, "--artifact", good]),
                ("promote", ["deploy", playbook, "--artifact", good]),
                ("again", ["deploy", playbook, "--artifact", good]),
                ("newer", ["deploy", playbook, "--artifact", newer]),
                ("rollback", ["rollback", playbook]),
                ("health failure", ["deploy", playbook, "--artifact", bad]),
                ("status", ["status", playbook]),
                ("unlock", ["unlock", playbook]),
            ] {
                let result = try await Shell.runDetached(cutover + arguments + common, environment: ["XDG_STATE_HOME": fleet.directory + "/state"])
                runs.append((name, result.status, result.stdout))
            }
            #expect(runs.map(\.status) == [0, 0, 0, 0, 0, 3, 0, 0], "\(runs.map { "\($0.name): \($0.status)" })")
            let run = { (name: String) throws -> [[String: Any]] in try objects(runs.first { $0.name == name }?.stdout ?? "") }

            var kinds = Set<String>()
            for run in runs {
                let report = try await EventSchemaValidator.validate(run.stdout)
                #expect(report.valid, "\(run.name): \(report.output)")
                let events = try objects(run.stdout)
                #expect(!events.isEmpty, "\(run.name) printed no events")
                kinds.formUnion(events.compactMap { $0["event"] as? String })
                // One run, one deploy id, on every line.
                #expect(Set(events.compactMap { $0["deploy"] as? String }).count == 1, "\(run.name)")
                if !["plan", "status"].contains(run.name) {
                    #expect(events.first?["event"] as? String == "started", "\(run.name)")
                    #expect(events.last?["event"] as? String == "finished", "\(run.name)")
                }
            }
            for kind in ["started", "plan", "wave_started", "host_step_started", "host_step_finished", "check_result",
                         "rollback_started", "rollback_finished", "host_status", "finished"] {
                #expect(kinds.contains(kind), "no \(kind) event in any run")
            }
            // The failed health check is a check_result with its reason, and the rollback is verified.
            let failure = try run("health failure")
            #expect(failure.contains { $0["event"] as? String == "check_result" && $0["passed"] as? Bool == false
                && ($0["detail"] as? String)?.contains("./bin/health") == true })
            #expect(failure.contains { $0["event"] as? String == "rollback_finished" && $0["verified"] as? Bool == true })
            // The smoke test's output is data: quotes and markup arrive as they were printed.
            #expect(try run("promote").contains { ($0["detail"] as? String)?.contains("smoke <ok> & \"quoted\" on h1") == true })
            // `cutover rollback` switched every host back and verified it with the policy's checks.
            let rollback = try run("rollback")
            #expect(rollback.last?["outcome"] as? String == "promoted")
            #expect(Set(rollback.filter { $0["event"] as? String == "rollback_finished" }.flatMap { $0["hosts"] as? [String] ?? [] }) == ["h1", "h2", "h3"])
            #expect(rollback.contains { $0["event"] as? String == "check_result" && $0["step"] as? String == "checks" })
            #expect(try run("again").contains { $0["step"] as? String == "upload" && $0["state"] as? String == "skipped" })
        }
    }

    @Test func theValidatorRejectsWhatTheSchemaForbids() async throws {
        // The validator is real: a line with an unknown field, a wrong enum value or no deploy id fails.
        let base = #"{"schema":1,"time":"2026-11-25T19:45:00.123Z","deploy":"d-1","event":"started","operation":"deploy","app":"web""#
        let ok = try await EventSchemaValidator.validate(base + "}\n")
        #expect(ok.valid, "\(ok.output)")
        for broken in [base + #","extra":1}"#, base.replacingOccurrences(of: #""deploy""#, with: #""operation2""#) + "}",
                       base.replacingOccurrences(of: #""operation":"deploy""#, with: #""operation":"launch""#) + "}",
                       base.replacingOccurrences(of: "19:45:00.123Z", with: "19:45:00Z") + "}"] {
            let report = try await EventSchemaValidator.validate(broken + "\n")
            #expect(!report.valid, "accepted: \(broken)")
        }
    }
}
