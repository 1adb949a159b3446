import Foundation
@testable import Rollout
import Synchronization
import Testing
import TestSupport

/// `hooks.migrate` on real hosts: once per deploy, on one host, in the new release, after every
/// host received it and before any host is switched; a failing one switches nothing; `resume`
/// does not run one that passed again.
@Suite("migrations once per deploy", .timeLimit(.minutes(4)))
struct MigrationTests {
    /// Appends `<host> <release>` to the host's `shared/migrations` (so the test can count runs
    /// across hosts, each of which has its own /srv), and for release 2.x holds until the test
    /// lets it go (at most 30 s), after touching `shared/migrating`.
    static let holdingMigration = #"""
    echo "$CUTOVER_HOST $CUTOVER_RELEASE $(readlink "$CUTOVER_DEPLOY_ROOT/current")" >> "$CUTOVER_DEPLOY_ROOT/shared/migrations"; if grep -q '^2' VERSION; then touch "$CUTOVER_DEPLOY_ROOT/shared/migrating"; i=0; while [ ! -e "$CUTOVER_DEPLOY_ROOT/shared/go" ] && [ $i -lt 300 ]; do sleep 0.1; i=$((i+1)); done; fi
    """#

    /// The fixture's playbook with a `migrate` hook (a scalar, or the body of a mapping).
    func playbook(_ fixture: DeployFixture, strategy: String = "{ rolling: { batch: 1 } }", migrate: String,
                  activate: String = "./bin/restart") throws -> String {
        let path = try fixture.playbook(strategy: strategy, activate: activate)
        let text = try String(contentsOfFile: path, encoding: .utf8)
            .replacingOccurrences(of: "hooks:\n", with: "hooks:\n  migrate: \(migrate)\n")
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// A migration that appends `<host> <release>` to its host's `shared/migrations`.
    static let recordingMigration = #"'echo "$CUTOVER_HOST $CUTOVER_RELEASE" >> "$CUTOVER_DEPLOY_ROOT/shared/migrations"'"#

    /// Starts `cutover deploy` and kills it (SIGKILL) once every host is in its activate hook
    /// (``DeployFixture/activateHoldingUntilGo``), after the migration passed.
    func deployKilledDuringActivate(_ playbook: String, _ common: [String], _ fleet: TestFleet) async throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: RepositoryPaths.cutoverExecutable)
        process.arguments = ["deploy", playbook] + common
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        for _ in 0..<400 where !fleet.members.allSatisfy({ FileManager.default.fileExists(atPath: $0.srv + "/web/shared/activating") }) {
            try await Task.sleep(for: .milliseconds(50))
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// Every line of every host's `shared/migrations`.
    func migrations(_ fixture: DeployFixture) -> [String] {
        fixture.fleet.members.flatMap { member in
            ((try? String(contentsOfFile: member.srv + "/web/shared/migrations", encoding: .utf8)) ?? "")
                .split(separator: "\n").map(String.init)
        }
    }

    @Test func aMigrationRunsOnceOnOneHostAfterThePushAndBeforeAnySwitch() async throws {
        try await TestFleet.with(hosts: 3) { fleet in
            let fixture = try DeployFixture(fleet: fleet)
            let playbook = try playbook(fixture, migrate: "'\(Self.holdingMigration.replacingOccurrences(of: "'", with: "''"))'")
            let v1 = try await Deployment(fixture.request(playbook, artifact: try await fixture.artifact(version: "1.0.0"))).run(events: { _ in })
            #expect(v1.outcome == .promoted, "\(v1.reason ?? "")")
            let v1Release = try #require(v1.release)
            // A first deploy: on h1 (the first host of the first wave), before it had a `current`.
            #expect(migrations(fixture) == ["h1 \(v1Release) "])

            let artifact = try await fixture.artifact(version: "2.0.0")
            let log = DeployEventLog()
            let deploy = Task { try await Deployment(fixture.request(playbook, artifact: artifact)).run(events: log.sink) }
            // While the migration holds: every host has the new release, none was switched to it.
            var seen = false
            for _ in 0..<400 where !seen {
                seen = fleet.members.contains { FileManager.default.fileExists(atPath: $0.srv + "/web/shared/migrating") }
                if !seen { try await Task.sleep(for: .milliseconds(50)) }
            }
            #expect(seen, "the migration never started")
            for member in fleet.members {
                #expect(fixture.current(member.name) == v1Release, "\(member.name) was switched before the migration ended")
                let releases = (try? FileManager.default.contentsOfDirectory(atPath: member.srv + "/web/releases")) ?? []
                #expect(releases.contains { $0.hasPrefix("2.0.0-") }, "\(member.name) did not have the release when the migration ran")
            }
            #expect(log.steps(.switch, .started).isEmpty)
            try fixture.letGo()
            let v2 = try await deploy.value
            #expect(v2.outcome == .promoted, "\(v2.reason ?? "")")
            let release = try #require(v2.release)
            // Exactly once, on h1, in the new release's directory while `current` was still the old one.
            let ran = migrations(fixture).filter { $0.contains(release) }
            #expect(ran == ["h1 \(release) releases/\(v1Release)"])
            #expect(log.steps(.migrate, .ok) == ["h1"])
            #expect(log.steps(.migrate, .started) == ["h1"])
            for member in fleet.members { #expect(fixture.current(member.name) == release) }
            // Journaled on the host it ran on, for `resume`.
            #expect(fixture.journal("h1").contains("step=migrate release=\(release)") )
            #expect(!fixture.journal("h2").contains("step=migrate"))
        }
    }

    @Test func aFailingMigrationSwitchesNothingAndIsReportedEverywhere() async throws {
        try await TestFleet.with(hosts: 2) { fleet in
            let fixture = try DeployFixture(fleet: fleet)
            let playbook = try playbook(fixture, strategy: "all-at-once", migrate: """
            "if grep -q 2.0.0 VERSION; then echo 'ALTER TABLE users: column email already exists' >&2; exit 3; fi"
            """)
            let ledger = fixture.directory + "/ledger.sqlite"
            let junit = fixture.directory + "/junit.xml"
            let common = ["-i", fleet.inventoryPath, "--ssh-config", "none", "--ledger", ledger]
            let v1 = try await Shell.runDetached([RepositoryPaths.cutoverExecutable, "deploy", playbook] + common
                                                 + ["--artifact", try await fixture.artifact(version: "1.0.0")])
            #expect(v1.status == 0, "\(v1.stderr)")
            let v1Release = try #require(fixture.current("h1"))
            let result = try await Shell.runDetached([RepositoryPaths.cutoverExecutable, "deploy", playbook] + common
                                                     + ["--artifact", try await fixture.artifact(version: "2.0.0"), "--output", "json", "--junit", junit])
            #expect(result.status == 7, "\(result.stderr)")
            #expect(result.stderr.contains("migration failed on h1"), "\(result.stderr)")
            #expect(result.stderr.contains("column email already exists"), "\(result.stderr)")
            #expect(result.stderr.contains("nothing was switched"), "\(result.stderr)")
            for member in fleet.members { #expect(fixture.current(member.name) == v1Release, "\(member.name) was switched") }
            // JSON: the step failed with the output's tail, and the outcome.
            let events = result.stdout.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
            let failed = events.first { $0["event"] as? String == "host_step_finished" && $0["step"] as? String == "migrate" }
            #expect(failed?["host"] as? String == "h1")
            #expect(failed?["state"] as? String == "failed")
            #expect((failed?["detail"] as? String)?.contains("exit 3") == true)
            #expect(events.contains { $0["event"] as? String == "host_step_started" && $0["step"] as? String == "switch" } == false)
            let finished = try #require(events.last)
            #expect(finished["outcome"] as? String == "not_switched")
            // JUnit: a failed test case for the migration.
            let xml = try String(contentsOfFile: junit, encoding: .utf8)
            #expect(xml.contains("name=\"h1.migrate\""), "\(xml)")
            #expect(xml.contains("column email already exists"), "\(xml)")
            // The ledger: the outcome and the reason with the failure's tail.
            let history = try await Shell.runDetached([RepositoryPaths.cutoverExecutable, "history", "web", "--ledger", ledger, "--output", "json"])
            let records = history.stdout.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
            let last = try #require(records.first)
            #expect(last["outcome"] as? String == "not_switched", "\(history.stdout)")
            #expect((last["reason"] as? String)?.contains("migration failed on h1") == true, "\(history.stdout)")
            #expect((last["reason"] as? String)?.contains("column email already exists") == true, "\(history.stdout)")
        }
    }

    @Test func resumeDoesNotRunAMigrationThatPassed() async throws {
        try await TestFleet.with(hosts: 2) { fleet in
            let fixture = try DeployFixture(fleet: fleet)
            let playbook = try playbook(fixture, strategy: "all-at-once", migrate: Self.recordingMigration,
                                        activate: DeployFixture.activateHoldingUntilGo)
            let artifact = try await fixture.artifact(version: "1.0.0")
            let common = ["-i", fleet.inventoryPath, "--ssh-config", "none", "--artifact", artifact, "--ledger", "none"]
            // Killed while the hosts activate, after the migration passed.
            try await deployKilledDuringActivate(playbook, common, fleet)
            #expect(migrations(fixture).count == 1)
            try fixture.letGo()
            let resumed = try await Shell.runDetached([RepositoryPaths.cutoverExecutable, "resume", playbook] + common)
            #expect(resumed.status == 0, "\(resumed.stderr)")
            #expect(resumed.stderr.contains("not run again"), "\(resumed.stderr)")
            let release = try #require(fixture.current("h1"))
            #expect(migrations(fixture) == ["h1 \(release)"], "the migration ran again")
            // A new deploy of the same release migrates again: once per deploy.
            let again = try await Shell.runDetached([RepositoryPaths.cutoverExecutable, "deploy", playbook] + common)
            #expect(again.status == 0, "\(again.stderr)")
            #expect(migrations(fixture) == ["h1 \(release)", "h1 \(release)"])
        }
    }

    /// The host that ran the migration is down when the deploy resumes: the others' switches
    /// prove the migration passed, so it is not run again elsewhere and nothing is called
    /// "not switched".
    @Test func resumeWithTheMigrationHostDownDoesNotMigrateAgain() async throws {
        try await TestFleet.with(hosts: 2) { fleet in
            let fixture = try DeployFixture(fleet: fleet)
            let path = try fixture.playbook(strategy: "all-at-once", maxFailures: "1", activate: DeployFixture.activateHoldingUntilGo)
            let text = try String(contentsOfFile: path, encoding: .utf8)
                .replacingOccurrences(of: "hooks:\n", with: "hooks:\n  migrate: \(Self.recordingMigration)\n")
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            let artifact = try await fixture.artifact(version: "1.0.0")
            let common = ["-i", fleet.inventoryPath, "--ssh-config", "none", "--artifact", artifact, "--ledger", "none"]
            try await deployKilledDuringActivate(path, common, fleet)
            #expect(migrations(fixture) == ["h1 \(try #require(fixture.current("h1")))"])
            try fixture.letGo()
            try await fleet.stopHost("h1")
            let resumed = try await Shell.runDetached([RepositoryPaths.cutoverExecutable, "resume", path] + common + ["--connect-timeout", "3"])
            #expect(resumed.status == 2, "\(resumed.stderr)")
            #expect(resumed.stderr.contains("after its migration passed: not run again"), "\(resumed.stderr)")
            #expect(migrations(fixture).count == 1, "the migration ran again: \(migrations(fixture))")
            #expect(fixture.running("h2") == fixture.current("h2"))
        }
    }

    @Test func theMigrateGroupOrOnChoosesTheHost() async throws {
        try await TestFleet.with(hosts: 3) { fleet in
            let fixture = try DeployFixture(fleet: fleet)
            // The migration gets the host's secrets like every hook: DB_PASSWORD from a secret var.
            let password = "pw-\(UUID().uuidString)"
            try (try String(contentsOfFile: fleet.inventoryPath, encoding: .utf8)).appending("""

            groups:
              migrate: { hosts: [h3], vars: { db_password: { secret: true, value: "\(password)" } } }
              db: { hosts: [h2], vars: { db_password: { secret: true, value: "\(password)" } } }
            """).write(toFile: fleet.inventoryPath, atomically: true, encoding: .utf8)
            let record = #"'echo "$CUTOVER_HOST $CUTOVER_RELEASE" >> "$CUTOVER_DEPLOY_ROOT/shared/migrations"; printf %s "$DB_PASSWORD" > "$CUTOVER_DEPLOY_ROOT/shared/password-seen"'"#
            let grouped = try playbook(fixture, migrate: record)
            let v1 = try await Deployment(fixture.request(grouped, artifact: try await fixture.artifact(version: "1.0.0"))).run(events: { _ in })
            #expect(v1.outcome == .promoted, "\(v1.reason ?? "")")
            #expect(migrations(fixture) == ["h3 \(v1.release ?? "")"])
            #expect((try? String(contentsOfFile: fleet.member("h3").srv + "/web/shared/password-seen", encoding: .utf8)) == password)

            let named = try playbook(fixture, migrate: "{ command: \(record), on: db, timeout: 1m }")
            let v2 = try await Deployment(fixture.request(named, artifact: try await fixture.artifact(version: "1.1.0"))).run(events: { _ in })
            #expect(v2.outcome == .promoted, "\(v2.reason ?? "")")
            #expect(migrations(fixture).filter { $0.hasSuffix(v2.release ?? "-") } == ["h2 \(v2.release ?? "")"])

            // `on:` naming nothing in the inventory: a configuration error before any host is touched.
            let wrong = try playbook(fixture, migrate: "{ command: ./bin/migrate, on: dbb }")
            let before = fixture.journal("h1")
            let v12 = try await fixture.artifact(version: "1.2.0")
            let error = await #expect(throws: RolloutError.self) { _ = try await Deployment(fixture.request(wrong, artifact: v12)).plan() }
            #expect(error?.description.contains("hooks.migrate.on names 'dbb'") == true, "\(String(describing: error))")
            #expect(error?.description.contains("did you mean 'db'") == true, "\(String(describing: error))")
            let result = try await Shell.runDetached([RepositoryPaths.cutoverExecutable, "deploy", wrong, "-i", fleet.inventoryPath, "--ssh-config", "none",
                                                     "--artifact", v12, "--ledger", "none"])
            #expect(result.status == 65, "\(result.stderr)")
            #expect(result.stderr.contains("web.yml:"), "\(result.stderr)")
            #expect(fixture.journal("h1") == before)
        }
    }
}
