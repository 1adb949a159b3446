import Foundation
import Glibc
import Testing
import TestSupport

/// The release ledger as an operator uses it: real deploys and a rollback with the built
/// binary, then `cutover history` and `cutover metrics` read what they recorded.
@Suite("cutover history and metrics", .timeLimit(.minutes(3)))
struct LedgerCommandTests {
    func objects(_ text: String) throws -> [[String: Any]] {
        try text.split(separator: "\n").map {
            try #require(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
    }

    @Test func deploysAndRollbacksAreRecordedAndMeasured() async throws {
        try await TestFleet.with(hosts: 2) { fleet in
            let fixture = try DeployFixture(fleet: fleet)
            // Two hosts, one may fail: a partial deploy leaves the hosts' journals disagreeing.
            let playbook = try fixture.playbook(strategy: "{ rolling: { batch: 1 } }", maxFailures: "1")
            let ledger = fixture.directory + "/state/ledger.sqlite"
            let v10 = try await fixture.artifact(version: "1.0.0", builtAt: "2026-01-01T00:00:00Z")
            let v11 = try await fixture.artifact(version: "1.1.0", healthy: false, failingHosts: ["h1"])
            let v12 = try await fixture.artifact(version: "1.2.0")
            let bad = try await fixture.artifact(version: "1.3.0", healthy: false)
            // A CI job's variables, and a secret beside them that must not reach the ledger.
            let environment = ["GITHUB_RUN_ID": "9001", "GITHUB_RUN_NUMBER": "42", "GITHUB_REPOSITORY": "acme/web",
                               "DEPLOY_TOKEN": "hunter2-secret", "CUTOVER_LEDGER": ledger]
            func cutover(_ arguments: [String]) async throws -> Shell.Result {
                try await Shell.runDetached([RepositoryPaths.cutoverExecutable] + arguments, environment: environment)
            }
            let common = ["-i", fleet.inventoryPath, "--ssh-config", "none"]
            func release(_ host: String) -> String? { fixture.current(host)?.split(separator: "-").first.map(String.init) }

            #expect(try await cutover(["deploy", playbook] + common + ["--artifact", v10]).status == 0)
            #expect(try await cutover(["deploy", playbook] + common + ["--artifact", v11]).status == 2)  // h1 failed, went back
            #expect(release("h1") == "1.0.0" && release("h2") == "1.1.0")
            #expect(try await cutover(["deploy", playbook] + common + ["--artifact", v12]).status == 0)

            // 1.2.0 turns out bad. Each host's journal would send it where it came from (h1 to
            // 1.0.0, h2 to the half-failed 1.1.0); the ledger knows the last release promoted everywhere.
            let status = try objects(try await cutover(["status", playbook] + common + ["--output", "json"]).stdout)
            #expect(status.map { ($0["previous"] as? String)?.split(separator: "-").first.map(String.init) } == ["1.0.0", "1.1.0"])
            let rollback = try await cutover(["rollback", playbook] + common)
            #expect(rollback.status == 0, "\(rollback.output)")
            #expect(rollback.stderr.contains("rollback to 1.0.0-"), "\(rollback.stderr)")
            #expect(rollback.stderr.contains("the ledger's last known-good release of web"), "\(rollback.stderr)")
            #expect(release("h1") == "1.0.0" && release("h2") == "1.0.0")
            // A second rollback (two people on call, or a retry) changes nothing and says so.
            let again = try await cutover(["rollback", playbook] + common)
            #expect(again.status == 0, "\(again.output)")
            #expect(again.stderr.contains("already is"), "\(again.stderr)")
            #expect(again.stderr.contains("nothing to do"), "\(again.stderr)")
            #expect(release("h1") == "1.0.0" && release("h2") == "1.0.0")

            #expect(try await cutover(["deploy", playbook] + common + ["--artifact", bad]).status == 3)
            #expect(release("h1") == "1.0.0" && release("h2") == "1.0.0")  // the automatic rollback

            let history = try await cutover(["history", "web", "--output", "json"])
            #expect(history.status == 0, "\(history.output)")
            let records = try objects(history.stdout)
            #expect(records.map { $0["kind"] as? String } == ["deploy", "rollback", "rollback", "deploy", "deploy", "deploy"])
            #expect(records.map { $0["outcome"] as? String } == ["rolled_back", "promoted", "promoted", "promoted", "partial", "promoted"])
            #expect(records.map { $0["version"] as? String } == ["1.3.0", "1.0.0", "1.0.0", "1.2.0", "1.1.0", "1.0.0"])
            let failed = records[0]
            #expect((failed["artifact_sha256"] as? String)?.count == 64)
            #expect((failed["release"] as? String)?.hasPrefix("1.3.0-") == true)
            #expect(failed["gate_failed_at"] is String)
            #expect(failed["rollback_verified_at"] is String)
            #expect((failed["reason"] as? String)?.contains("failed health") == true)
            let hosts = try #require(failed["hosts"] as? [[String: Any]])
            #expect(hosts.map { $0["host"] as? String } == ["h1", "h2"])
            #expect(hosts.allSatisfy { $0["state"] as? String == "rolled_back" })
            let partial = try #require(records[4]["hosts"] as? [[String: Any]])
            #expect(partial.map { $0["state"] as? String } == ["rolled_back", "promoted"])
            let invoker = try #require(failed["invoker"] as? [String: Any])
            #expect(invoker["ci_system"] as? String == "github")
            #expect(invoker["ci_job"] as? String == "42 (run 9001)")
            #expect(invoker["ci_url"] as? String == "https://github.com/acme/web/actions/runs/9001")
            #expect(records[5]["artifact_built_at"] as? String == "2026-01-01T00:00:00Z")
            #expect(records[5]["artifact_build_time_source"] as? String == "stamp")
            #expect(records[3]["artifact_build_time_source"] as? String == "mtime")
            #expect((records[1]["deploy_id"] as? String)?.hasPrefix("r-") == true)

            let text = try await cutover(["history", "--limit", "3"])
            let lines = text.stdout.split(separator: "\n")
            #expect(lines.first?.hasPrefix("FINISHED (UTC)") == true)
            #expect(lines.filter { $0.contains(" web ") }.count == 3, "--limit 3 shows the three newest")
            #expect(text.stdout.contains("rolled_back"))

            let metrics = try objects(try await cutover(["metrics", "web", "--output", "json"]).stdout).first
            #expect(metrics?["promoted_deploys"] as? Int == 2)
            #expect(metrics?["changes"] as? Int == 4)
            #expect(metrics?["failed_changes"] as? Int == 3)  // 1.3.0 rolled back; 1.2.0 and 1.1.0 undone by `cutover rollback`
            #expect(metrics?["change_failure_rate"] as? Double == 0.75)
            #expect(metrics?["restores"] as? Int == 1)
            #expect((metrics?["time_to_restore_median_seconds"] as? Double).map { $0 > 0 } == true)
            #expect(metrics?["lead_time_samples"] as? Int == 2)  // 1.0.0's stamp, 1.2.0's file times
            let summary = try await cutover(["metrics", "web", "--since", "1d"])
            #expect(summary.status == 0)
            #expect(summary.stdout.contains("change failure rate    75% (3 of 4 changes rolled back or failed)"))

            let stored = try Data(contentsOf: URL(fileURLWithPath: ledger))
            #expect(stored.range(of: Data("hunter2-secret".utf8)) == nil)
        }
    }

    @Test func aDeployTheLedgerNeverSawDoesNotSendTheFleetTwoReleasesBack() async throws {
        try await TestFleet.with(hosts: 2) { fleet in
            let fixture = try DeployFixture(fleet: fleet)
            let playbook = try fixture.playbook(strategy: "all-at-once")
            let ledger = fixture.directory + "/state/ledger.sqlite"
            func cutover(_ arguments: [String]) async throws -> Shell.Result {
                try await Shell.runDetached([RepositoryPaths.cutoverExecutable] + arguments, environment: ["CUTOVER_LEDGER": ledger])
            }
            let common = ["-i", fleet.inventoryPath, "--ssh-config", "none"]
            func release(_ host: String) -> String? { fixture.current(host)?.split(separator: "-").first.map(String.init) }
            for version in ["1.0.0", "1.1.0"] {
                #expect(try await cutover(["deploy", playbook] + common + ["--artifact", try await fixture.artifact(version: version)]).status == 0)
            }
            // 1.2.0 reaches h1 by a run the ledger never hears of (killed, or run with --ledger none).
            let unseen = try await fixture.artifact(version: "1.2.0")
            #expect(try await cutover(["deploy", playbook] + common + ["--artifact", unseen, "--limit", "h1", "--ledger", "none"]).status == 0)
            #expect(release("h1") == "1.2.0" && release("h2") == "1.1.0")
            // The ledger's known-good release is 1.0.0, but the fleet was on 1.1.0 before 1.2.0:
            // rollback goes there, and h2 stays.
            let rollback = try await cutover(["rollback", playbook] + common + ["--output", "json"])
            #expect(rollback.status == 0, "\(rollback.output)")
            #expect(release("h1") == "1.1.0" && release("h2") == "1.1.0", "\(rollback.output)")
            let started = try objects(rollback.stdout).first { $0["event"] as? String == "rollback_started" }
            #expect((started?["reason"] as? String)?.contains("h1 runs 1.2.0-") == true, "\(String(describing: started))")
        }
    }

    @Test func aLedgerThatCannotBeWrittenDoesNotFailTheDeploy() async throws {
        try await TestFleet.with(hosts: 1) { fleet in
            let fixture = try DeployFixture(fleet: fleet)
            let playbook = try fixture.playbook()
            try "a file, not a directory".write(toFile: fixture.directory + "/blocked", atomically: true, encoding: .utf8)
            let result = try await Shell.runDetached([
                RepositoryPaths.cutoverExecutable, "deploy", playbook, "-i", fleet.inventoryPath, "--ssh-config", "none",
                "--artifact", try await fixture.artifact(version: "1.0.0"), "--ledger", fixture.directory + "/blocked/ledger.sqlite",
            ])
            #expect(result.status == 0)
            #expect(result.stderr.contains("warning: this deploy was not recorded in the ledger"))
            #expect(fixture.current("h1")?.hasPrefix("1.0.0-") == true)

            let off = try await Shell.runDetached([RepositoryPaths.cutoverExecutable, "history", "--ledger", "none"])
            #expect(off.status == 64)
        }
    }

    @Test func aPostgresLedgerRecordsAndHoldsTheDeployLease() async throws {
        try await TestFleet.with(hosts: 1) { fleet in
            let fixture = try DeployFixture(fleet: fleet)
            let playbook = try fixture.playbook()
            let artifact = try await fixture.artifact(version: "1.0.0")
            try FileManager.default.createDirectory(atPath: fixture.directory + "/pg", withIntermediateDirectories: true)
            let server = try await PostgresServer.start(in: fixture.directory + "/pg")
            defer { server.stop() }
            let deploy = [RepositoryPaths.cutoverExecutable, "deploy", playbook, "-i", fleet.inventoryPath, "--ssh-config", "none",
                          "--artifact", artifact, "--ledger", server.url]

            #expect(try await Shell.runDetached(deploy).status == 0)
            // Another runner's deploy of web holds the lease in the ledger: this one waits, then exits 5.
            let other = try server.session(["SELECT pg_advisory_lock(hashtextextended('cutover-lease:default:web', 0))"])
            defer { if other.isRunning { kill(other.processIdentifier, SIGKILL); other.waitUntilExit() } }
            var attempts = 0
            while try await server.psql("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted") != "1", attempts < 100 {
                attempts += 1
                try await Task.sleep(for: .milliseconds(50))
            }
            let blocked = try await Shell.runDetached(deploy + ["--lock-wait", "1"])
            #expect(blocked.status == 5)
            #expect(blocked.stderr.contains("the deploy lease for web in default is held in the ledger by psql"))
            // When that runner is gone, its lease is too.
            kill(other.processIdentifier, SIGKILL)
            other.waitUntilExit()
            #expect(try await Shell.runDetached(deploy).status == 0)

            let history = try await Shell.runDetached([RepositoryPaths.cutoverExecutable, "history", "--ledger", server.url, "--output", "json"])
            #expect(history.status == 0)
            let records = try objects(history.stdout)
            #expect(records.count == 2)
            #expect(records.allSatisfy { $0["outcome"] as? String == "promoted" && $0["app"] as? String == "web" })
            #expect(try await server.psql("SELECT count(*) FROM record_hosts") == "2")
        }
    }
}
