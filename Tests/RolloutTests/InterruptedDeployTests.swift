import Foundation
import Rollout
import Testing
import TestSupport

/// The orchestrator stopped in the middle: every host keeps a complete `current`, and
/// `resume` finishes the job.
@Suite("Interrupted deploys", .timeLimit(.minutes(3)))
struct InterruptedDeployTests {
    func launch(_ arguments: [String]) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: RepositoryPaths.cutoverExecutable)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    func waitForExit(_ process: Process, within limit: Duration) async throws {
        let start = ContinuousClock.now
        while process.isRunning && ContinuousClock.now - start < limit { try await Task.sleep(for: .milliseconds(50)) }
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
    }

    /// Waits until `path` exists on every host named.
    func waitForFile(_ fixture: DeployFixture, _ relative: String, on hosts: [String]) async throws {
        for _ in 0..<200 {
            if hosts.allSatisfy({ FileManager.default.fileExists(atPath: fixture.fleet.member($0).srv + relative) }) { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        Issue.record("\(relative) never appeared")
    }

    @Test func sigkillDuringActivateThenResumeConverges() async throws {
        try await TestFleet.with(hosts: 3) { fleet in
            let fixture = try DeployFixture(fleet: fleet)
            let artifact = try await fixture.artifact(version: "1.0.0")
            // Activate holds until the test says go (at most 30 s): however late a loaded
            // machine wakes the test, the deploy is still in activate when it is killed.
            let playbook = try fixture.playbook(strategy: "all-at-once", activate: DeployFixture.activateHoldingUntilGo)
            let deploy = try launch(["deploy", playbook, "-i", fleet.inventoryPath, "--ssh-config", "none", "--artifact", artifact])
            try await waitForFile(fixture, "/web/shared/activating", on: ["h1", "h2", "h3"])
            kill(deploy.processIdentifier, SIGKILL)
            try await waitForExit(deploy, within: .seconds(5))

            // Every host's current is a complete release; the leases name the killed deploy.
            let release = try #require(fixture.current("h1"))
            for member in fleet.members {
                let current = try #require(fixture.current(member.name))
                #expect(FileManager.default.fileExists(atPath: member.srv + "/web/releases/\(current)/bin/health"))
                #expect(FileManager.default.fileExists(atPath: member.srv + "/web/.cutover/lock"))
            }
            try fixture.letGo()
            // Resuming with another artifact is refused before any host is touched.
            let other = try await fixture.artifact(version: "1.0.1")
            let wrong = try await Shell.runDetached([RepositoryPaths.cutoverExecutable, "resume", playbook, "-i", fleet.inventoryPath,
                                                     "--ssh-config", "none", "--artifact", other])
            #expect(wrong.status == 64)
            #expect(wrong.stderr.contains("was deploying \(release), not 1.0.1-"), "\(wrong.stderr)")
            for member in fleet.members { #expect(fixture.current(member.name) == release) }
            // Without --artifact, resume takes the file the lease names (the playbook has no
            // `artifact`): gone, it is refused before any host is touched, saying why.
            let moved = artifact + ".moved"
            try FileManager.default.moveItem(atPath: artifact, toPath: moved)
            let missing = try await Shell.runDetached([RepositoryPaths.cutoverExecutable, "resume", playbook, "-i", fleet.inventoryPath,
                                                       "--ssh-config", "none"])
            #expect(missing.status == 64)
            #expect(missing.stderr.contains("was deploying \(release)") && missing.stderr.contains("no such file"), "\(missing.stderr)")
            for member in fleet.members {
                #expect(fixture.current(member.name) == release)
                #expect(FileManager.default.fileExists(atPath: member.srv + "/web/.cutover/lock"))
            }
            try FileManager.default.moveItem(atPath: moved, toPath: artifact)
            let resumed = try await Shell.runDetached([RepositoryPaths.cutoverExecutable, "resume", playbook, "-i", fleet.inventoryPath,
                                                       "--ssh-config", "none"])
            #expect(resumed.status == 0, "resume failed: \(resumed.stderr)")
            for member in fleet.members {
                #expect(fixture.current(member.name) == release)
                #expect(fixture.running(member.name) == release, "activate did not complete on \(member.name)")
                #expect(!FileManager.default.fileExists(atPath: member.srv + "/web/.cutover/lock"))
            }
        }
    }

    @Test func ctrlCDuringABakeLeavesTheFleetConverged() async throws {
        try await TestFleet.with(hosts: 3) { fleet in
            let fixture = try DeployFixture(fleet: fleet)
            let playbook = try fixture.playbook(strategy: """
            { canary: { steps: [ { hosts: 1, bake: 30s }, { percent: 100 } ] } }
            """, activate: "./bin/restart; touch ../../shared/baking", extra: """
            kpis:
              errors: { command: "echo 0", interval: 500ms, max: 1 }
            """)
            let artifact = try await fixture.artifact(version: "1.0.0")
            let deploy = try launch(["deploy", playbook, "-i", fleet.inventoryPath, "--ssh-config", "none", "--artifact", artifact])
            let canary = try #require(await firstHostWithFile(fixture, "/web/shared/baking"))
            try await Task.sleep(for: .seconds(1))
            let started = ContinuousClock.now
            kill(deploy.processIdentifier, SIGINT)
            try await waitForExit(deploy, within: .seconds(20))
            #expect(deploy.terminationStatus == 130)
            #expect(ContinuousClock.now - started < .seconds(25), "the 30 s bake was not cut short")
            // Converged: the canary on the new release (it passed its checks), the others untouched, no lease left.
            #expect(fixture.current(canary) != nil)
            for member in fleet.members where member.name != canary {
                #expect(fixture.current(member.name) == nil)
            }
            for member in fleet.members {
                #expect(!FileManager.default.fileExists(atPath: member.srv + "/web/.cutover/lock"))
            }
        }
    }

    func firstHostWithFile(_ fixture: DeployFixture, _ relative: String) async throws -> String? {
        for _ in 0..<300 {
            if let member = fixture.fleet.members.first(where: { FileManager.default.fileExists(atPath: $0.srv + relative) }) { return member.name }
            try await Task.sleep(for: .milliseconds(50))
        }
        return nil
    }

    @Test func firstCtrlCFinishesTheWaveAndExits130() async throws {
        try await TestFleet.with(hosts: 3) { fleet in
            let fixture = try DeployFixture(fleet: fleet)
            let artifact = try await fixture.artifact(version: "1.0.0")
            // h1 (wave 1) holds in activate until the test says go, however late it wakes.
            let playbook = try fixture.playbook(strategy: "{ rolling: { batch: 1 } }", activate: """
                touch ../../shared/activating; i=0; while [ $(hostname) = h1 ] && [ ! -e ../../shared/go ] && [ $i -lt 300 ]; do sleep 0.1; i=$((i+1)); done; ./bin/restart
                """)
            let deploy = try launch(["deploy", playbook, "-i", fleet.inventoryPath, "--ssh-config", "none", "--artifact", artifact])
            try await waitForFile(fixture, "/web/shared/activating", on: ["h1"])
            kill(deploy.processIdentifier, SIGINT)
            try await Task.sleep(for: .milliseconds(500))
            _ = FileManager.default.createFile(atPath: fleet.member("h1").srv + "/web/shared/go", contents: nil)
            try await waitForExit(deploy, within: .seconds(20))
            #expect(deploy.terminationStatus == 130)
            // Wave 1 (h1) finished and is healthy; the others were not started.
            let release = try #require(fixture.current("h1"))
            #expect(fixture.running("h1") == release)
            #expect(fixture.current("h2") == nil)
            #expect(fixture.current("h3") == nil)
            #expect(!FileManager.default.fileExists(atPath: fleet.member("h1").srv + "/web/.cutover/lock"))

            // Resume continues at wave 2: wave 1 passed its gates, its journal says so, and h1
            // is neither activated nor checked again.
            try FileManager.default.removeItem(atPath: fleet.member("h1").srv + "/web/shared/activating")
            let resumed = try await Shell.runDetached([RepositoryPaths.cutoverExecutable, "resume", playbook, "-i", fleet.inventoryPath,
                                                       "--ssh-config", "none", "--artifact", artifact])
            #expect(resumed.status == 0, "\(resumed.stderr)")
            for member in fleet.members { #expect(fixture.current(member.name) == release) }
            #expect(!FileManager.default.fileExists(atPath: fleet.member("h1").srv + "/web/shared/activating"), "h1 was activated again")
            #expect(FileManager.default.fileExists(atPath: fleet.member("h2").srv + "/web/shared/activating"))
            #expect(resumed.stderr.contains("h1 switch skipped: already on \(release), verified in wave 1"), "\(resumed.stderr)")
            #expect(resumed.stderr.contains("resumed: wave 1 passed every gate before the deploy stopped"), "\(resumed.stderr)")
        }
    }

    @Test func secondCtrlCDuringActivateReportsTheHostsAsSwitched() async throws {
        try await TestFleet.with(hosts: 2) { fleet in
            let fixture = try DeployFixture(fleet: fleet)
            let artifact = try await fixture.artifact(version: "1.0.0")
            // Activate holds until the test says go: the second Ctrl-C cuts it off after the switch.
            let playbook = try fixture.playbook(strategy: "all-at-once", activate: DeployFixture.activateHoldingUntilGo)
            let events = fleet.directory + "/double-ctrl-c.jsonl"
            _ = FileManager.default.createFile(atPath: events, contents: nil)
            let deploy = Process()
            deploy.executableURL = URL(fileURLWithPath: RepositoryPaths.cutoverExecutable)
            deploy.arguments = ["deploy", playbook, "-i", fleet.inventoryPath, "--ssh-config", "none", "--artifact", artifact, "--output", "json"]
            deploy.standardOutput = FileHandle(forWritingAtPath: events)
            deploy.standardError = FileHandle.nullDevice
            try deploy.run()
            try await waitForFile(fixture, "/web/shared/activating", on: ["h1", "h2"])
            kill(deploy.processIdentifier, SIGINT)
            try await Task.sleep(for: .milliseconds(300))
            kill(deploy.processIdentifier, SIGINT)
            try await waitForExit(deploy, within: .seconds(20))
            #expect(deploy.terminationStatus == 130)

            // Both hosts switched before the cut: the summary says so, with the new release.
            let release = try #require(fixture.current("h1"))
            let finished = try String(contentsOfFile: events, encoding: .utf8).split(separator: "\n")
                .compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
                .first { $0["event"] as? String == "finished" }
            let hosts = try #require(finished?["hosts"] as? [[String: Any]])
            #expect(hosts.count == 2)
            for host in hosts {
                #expect(host["state"] as? String == "failed", "\(host)")
                #expect(host["release"] as? String == release, "\(host)")
                #expect((host["detail"] as? String)?.contains("switched to \(release)") == true, "\(host)")
            }
            try fixture.letGo()
            let resumed = try await Shell.runDetached([RepositoryPaths.cutoverExecutable, "resume", playbook, "-i", fleet.inventoryPath,
                                                       "--ssh-config", "none", "--artifact", artifact])
            #expect(resumed.status == 0, "\(resumed.stderr)")
            for member in fleet.members { #expect(fixture.running(member.name) == release) }
        }
    }

    /// `resume` reads the leases on the connections its deploy then goes on with: each host
    /// authenticates once, as in a deploy (plus, on h1, the first leased host, the abort
    /// watcher's own connection when it looked before the deploy ended). Counted in the hosts'
    /// own sshd logs, at `LogLevel VERBOSE`.
    @Test func resumeConnectsToEachHostOnce() async throws {
        try await TestFleet.with(hosts: 2) { fleet in
            let fixture = try DeployFixture(fleet: fleet)
            let artifact = try await fixture.artifact(version: "1.0.0")
            let playbook = try fixture.playbook(strategy: "all-at-once", activate: DeployFixture.activateHoldingUntilGo)
            let deploy = try launch(["deploy", playbook, "-i", fleet.inventoryPath, "--ssh-config", "none", "--artifact", artifact])
            try await waitForFile(fixture, "/web/shared/activating", on: ["h1", "h2"])
            kill(deploy.processIdentifier, SIGKILL)
            try await waitForExit(deploy, within: .seconds(5))
            try fixture.letGo()
            let release = try #require(fixture.current("h1"))

            // Every sshd restarted logging each authentication, its log emptied.
            for member in fleet.members {
                let host = fleet.directory + "/hosts/" + member.name
                let config = try String(contentsOfFile: host + "/sshd_config", encoding: .utf8)
                try config.replacingOccurrences(of: "LogLevel ERROR", with: "LogLevel VERBOSE")
                    .write(toFile: host + "/sshd_config", atomically: true, encoding: .utf8)
                try await fleet.stopHost(member.name)
                try "".write(toFile: host + "/sshd.log", atomically: false, encoding: .utf8)
                try await fleet.startHost(member.name)
            }
            let resumed = try await Shell.runDetached([RepositoryPaths.cutoverExecutable, "resume", playbook, "-i", fleet.inventoryPath,
                                                       "--ssh-config", "none"])
            #expect(resumed.status == 0, "\(resumed.stderr)")
            for member in fleet.members {
                #expect(fixture.running(member.name) == release, "activate did not complete on \(member.name)")
                #expect(!FileManager.default.fileExists(atPath: member.srv + "/web/.cutover/lock"))
            }
            var logins: [String: Int] = [:], logs = ""
            for member in fleet.members {
                let log = try String(contentsOfFile: fleet.directory + "/hosts/\(member.name)/sshd.log", encoding: .utf8)
                // sshd -e ends its lines with "\r\n" (one Character in Swift): count the phrase itself.
                logins[member.name] = log.components(separatedBy: "Accepted publickey for \(fleet.user) ").count - 1
                logs += "\(member.name):\n\(log)"
            }
            // h1 may also serve the abort watcher's connection (none when the deploy ends before
            // the watcher's first look); h2 serves only the deploy's.
            #expect(logins["h2"] == 1, "authentications per host during resume: \(logins)\n\(logs)")
            #expect((1...2).contains(logins["h1"] ?? 0), "authentications per host during resume: \(logins)\n\(logs)")
        }
    }
}
