import Analysis
import Foundation
import Release
import Rollout
import Testing
import TestSupport

@Suite("Manual pauses: promote and abort from another process", .timeLimit(.minutes(3)))
struct ManualPauseTests {
    func pausedDeploy(_ fixture: DeployFixture, _ fleet: TestFleet, onTimeout: String = "abort", timeout: String = "60s")
        async throws -> (Task<DeployReport, any Error>, DeployEventLog, String) {
        let playbook = try fixture.playbook(strategy: """
        { canary: { steps: [ { hosts: 1, pause: manual, pause_timeout: \(timeout), on_timeout: \(onTimeout) }, { percent: 100 } ] } }
        """)
        // The first release goes everywhere at once (as with --all-at-once), without a pause.
        var first = fixture.request(playbook, artifact: try await fixture.artifact(version: "1.0.0"))
        first.strategy = .allAtOnce
        let v1 = try await Deployment(first).run(events: { _ in })
        #expect(v1.outcome == .promoted)
        let v2 = try await fixture.artifact(version: "2.0.0")
        let log = DeployEventLog()
        let task = Task { try await Deployment(fixture.request(playbook, artifact: v2)).run(events: log.sink) }
        for _ in 0..<300 where log.pausedWaves.isEmpty { try await Task.sleep(for: .milliseconds(50)) }
        #expect(log.pausedWaves == [1])
        return (task, log, playbook)
    }

    func answer(_ action: PauseAction, _ fleet: TestFleet, _ playbook: String) async throws {
        let answered = try await PauseAnswer(PlaybookRequest(
            connection: ConnectionSettings(inventoryPath: fleet.inventoryPath, sshConfigPath: "none"), playbook: playbook),
            action: action).run(events: { _ in })
        #expect(answered.outcome == .promoted)
    }

    @Test func promoteGoesOn() async throws {
        try await TestFleet.with(hosts: 3) { fleet in
            let fixture = try DeployFixture(fleet: fleet)
            let (task, _, playbook) = try await pausedDeploy(fixture, fleet)
            // Paused: exactly one host (the canary) runs 2.0.0.
            let onNew = fleet.members.filter { fixture.current($0.name)?.hasPrefix("2.0.0") == true }
            #expect(onNew.count == 1)
            try await answer(.promote, fleet, playbook)
            let report = try await task.value
            #expect(report.outcome == .promoted)
            for member in fleet.members { #expect(fixture.current(member.name) == report.release) }
        }
    }

    @Test func aPromoteSentBeforeThePauseIsRefusedAndApprovesNothing() async throws {
        try await TestFleet.with(hosts: 3) { fleet in
            let fixture = try DeployFixture(fleet: fleet)
            // The canary's activate holds until the test says go: the deploy holds the lease
            // but has not reached its pause when `promote` is sent.
            let playbook = try fixture.playbook(strategy: """
            { canary: { steps: [ { hosts: 1, pause: manual, pause_timeout: 3s, on_timeout: abort }, { percent: 100 } ] } }
            """, activate: DeployFixture.activateHoldingUntilGo)
            try fixture.letGo()
            try await Shell.runDetached(["chown", "-R", fleet.user] + fleet.members.map { $0.srv + "/web" })
            var first = fixture.request(playbook, artifact: try await fixture.artifact(version: "1.0.0"))
            first.strategy = .allAtOnce
            #expect(try await Deployment(first).run(events: { _ in }).outcome == .promoted)
            for member in fleet.members {
                try FileManager.default.removeItem(atPath: member.srv + "/web/shared/go")
                try FileManager.default.removeItem(atPath: member.srv + "/web/shared/activating")
            }
            let log = DeployEventLog()
            let v2 = try await fixture.artifact(version: "2.0.0")
            let task = Task { try await Deployment(fixture.request(playbook, artifact: v2)).run(events: log.sink) }
            var canary: String?
            for _ in 0..<300 where canary == nil {
                canary = fleet.members.first { FileManager.default.fileExists(atPath: $0.srv + "/web/shared/activating") }?.name
                try await Task.sleep(for: .milliseconds(50))
            }
            #expect(canary != nil)
            let early = try await PauseAnswer(PlaybookRequest(
                connection: ConnectionSettings(inventoryPath: fleet.inventoryPath, sshConfigPath: "none"), playbook: playbook),
                action: .promote).run(events: { _ in })
            #expect(early.outcome == .partial)
            #expect(early.hosts.allSatisfy { $0.detail?.contains("is not waiting at a pause") == true }, "\(early.hosts)")
            try fixture.letGo()
            // Nobody answers the pause itself: its timeout aborts, the early promote counted for nothing.
            let report = try await task.value
            #expect(log.pausedWaves == [1])
            #expect(report.outcome == .rolledBack, "\(report.reason ?? "")")
            #expect(report.reason?.contains("timeout") == true, "\(report.reason ?? "")")
            for member in fleet.members { #expect(fixture.current(member.name)?.hasPrefix("1.0.0") == true) }
        }
    }

    @Test func aLongPauseKeepsItsLeases() async throws {
        try await TestFleet.with(hosts: 2) { fleet in
            let fixture = try DeployFixture(fleet: fleet)
            let playbook = try fixture.playbook(strategy: """
            { canary: { steps: [ { hosts: 1, pause: manual, pause_timeout: 60s, on_timeout: abort }, { percent: 100 } ] } }
            """)
            let common = ["-i", fleet.inventoryPath, "--ssh-config", "none"]
            let v1 = try await fixture.artifact(version: "1.0.0")
            #expect(try await Shell.runDetached([RepositoryPaths.cutoverExecutable, "deploy", playbook, "--all-at-once", "--artifact", v1] + common).status == 0)
            // Leases that live 3 s, and a pause far longer: without renewal they expire and
            // any other run may take the hosts.
            let events = fleet.directory + "/paused.jsonl"
            _ = FileManager.default.createFile(atPath: events, contents: nil)
            let deploy = Process()
            deploy.executableURL = URL(fileURLWithPath: RepositoryPaths.cutoverExecutable)
            deploy.arguments = ["deploy", playbook, "--artifact", try await fixture.artifact(version: "2.0.0"), "--output", "json"] + common
            deploy.environment = ProcessInfo.processInfo.environment.merging(["CUTOVER_LEASE_SECONDS": "3"]) { $1 }
            deploy.standardOutput = FileHandle(forWritingAtPath: events)
            deploy.standardError = FileHandle.nullDevice
            try deploy.run()
            defer { if deploy.isRunning { kill(deploy.processIdentifier, SIGKILL) } }
            var paused = false
            for _ in 0..<600 where !paused {
                paused = (try? String(contentsOfFile: events, encoding: .utf8))?.contains("\"event\":\"paused\"") == true
                if !paused { try await Task.sleep(for: .milliseconds(50)) }
            }
            #expect(paused)
            try await Task.sleep(for: .seconds(7))
            let intruder = try await Shell.runDetached([RepositoryPaths.cutoverExecutable, "deploy", playbook, "--all-at-once",
                                                        "--artifact", try await fixture.artifact(version: "3.0.0")] + common)
            #expect(intruder.status == 5, "\(intruder.stderr)")
            try await answer(.promote, fleet, playbook)
            for _ in 0..<400 where deploy.isRunning { try await Task.sleep(for: .milliseconds(50)) }
            #expect(!deploy.isRunning)
            #expect(deploy.terminationStatus == 0)
            for member in fleet.members { #expect(fixture.current(member.name)?.hasPrefix("2.0.0") == true) }
        }
    }

    @Test func abortRollsTheCanaryBack() async throws {
        try await TestFleet.with(hosts: 3) { fleet in
            let fixture = try DeployFixture(fleet: fleet)
            let (task, log, playbook) = try await pausedDeploy(fixture, fleet)
            try await answer(.abort, fleet, playbook)
            let report = try await task.value
            #expect(report.outcome == .rolledBack)
            #expect(report.reason?.contains("aborted by") == true)
            #expect(log.rollbacks.count == 1)
            for member in fleet.members { #expect(fixture.current(member.name)?.hasPrefix("1.0.0") == true) }
        }
    }

    @Test func anInconclusiveVerdictPausesForAPerson() async throws {
        try await TestFleet.with(hosts: 3) { fleet in
            let fixture = try DeployFixture(fleet: fleet)
            let playbook = try fixture.playbook(strategy: """
            { canary: { steps: [ { hosts: 1, bake: 1s }, { percent: 100 } ] } }
            """, extra: """
            kpis:
              latency: { command: "exit 1", interval: 250ms, max: 100, no_data: inconclusive }
            """)
            var first = fixture.request(playbook, artifact: try await fixture.artifact(version: "1.0.0"))
            first.strategy = .allAtOnce
            #expect(try await Deployment(first).run(events: { _ in }).outcome == .promoted)
            let log = DeployEventLog()
            let second = fixture.request(playbook, artifact: try await fixture.artifact(version: "2.0.0"))
            let task = Task { try await Deployment(second).run(events: log.sink) }
            for _ in 0..<300 where log.pausedWaves.isEmpty { try await Task.sleep(for: .milliseconds(50)) }
            #expect(log.pausedWaves == [1])
            #expect(log.verdicts.first?.verdict == .inconclusive)
            try await answer(.abort, fleet, playbook)
            let report = try await task.value
            #expect(report.outcome == .rolledBack)
            for member in fleet.members { #expect(fixture.current(member.name)?.hasPrefix("1.0.0") == true) }
        }
    }

    @Test func nobodyAnsweringTakesTheDefaultAction() async throws {
        try await TestFleet.with(hosts: 2) { fleet in
            let fixture = try DeployFixture(fleet: fleet)
            let (task, _, _) = try await pausedDeploy(fixture, fleet, onTimeout: "promote", timeout: "2s")
            let report = try await task.value
            #expect(report.outcome == .promoted)
        }
    }
}
