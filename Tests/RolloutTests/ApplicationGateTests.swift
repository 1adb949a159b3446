import Analysis
import Foundation
import Rollout
import Synchronization
import Testing
import TestSupport

/// Gates a failing *application* cannot slip through, on real sshd hosts: an app that dies
/// seconds after it starts, a canary that stops answering its KPI, a critical KPI breached at
/// once, a deploy stopped from another terminal or by SIGTERM, retention after failed
/// releases, a black-holed host during a rollback, and a deploy that switched nothing.
@Suite("Application gates", .timeLimit(.minutes(4)))
struct ApplicationGateTests {
    /// `activate` starting a real process that lives `LIFE` seconds: 2 for versions 2.x (an app
    /// that exits shortly after it starts), 120 otherwise. The health check asks whether it runs.
    static let startApp = """
        case $(cat VERSION) in 2.*) life=2;; *) life=120;; esac; \
        [ -f ../../shared/app.pid ] && kill $(cat ../../shared/app.pid) 2>/dev/null; \
        setsid sleep $life >/dev/null 2>&1 </dev/null & echo $! > ../../shared/app.pid; ./bin/restart
        """
    static let appHealth = """
        health:
          - command: kill -0 $(cat ../../shared/app.pid)
        """

    func playbookWithApp(_ fixture: DeployFixture, strategy: String, stableFor: String?) throws -> String {
        let path = try fixture.playbook(strategy: strategy, activate: Self.startApp, stableFor: stableFor ?? "10s")
        var text = try String(contentsOfFile: path, encoding: .utf8)
        // The fixture's checks, plus whether the app still runs.
        text = text.replacingOccurrences(of: "health:\n", with: Self.appHealth + "\n")
        if stableFor == nil { text = text.replacingOccurrences(of: "stable_for: 10s\n", with: "") }
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// Stops the apps the test started on the hosts (by the pid each host recorded).
    func stopApps(_ fleet: TestFleet) {
        for member in fleet.members {
            if let text = try? String(contentsOfFile: member.srv + "/web/shared/app.pid", encoding: .utf8), let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)) {
                kill(pid, SIGKILL)
            }
        }
    }

    @Test(arguments: ["all-at-once", "{ rolling: { batch: 1 } }", "{ canary: { steps: [ { hosts: 1 }, { percent: 100 } ] } }"])
    func anAppThatExitsSecondsAfterStartingIsNeverPromoted(strategy: String) async throws {
        try await TestFleet.with(hosts: 3) { fleet in
            defer { stopApps(fleet) }
            let fixture = try DeployFixture(fleet: fleet)
            // No stable_for in the playbook: the documented default (10 s) holds the checks.
            let playbook = try playbookWithApp(fixture, strategy: strategy, stableFor: nil)
            #expect(try !String(contentsOfFile: playbook, encoding: .utf8).contains("stable_for"))
            let v1 = try await Deployment(fixture.request(playbook, artifact: try await fixture.artifact(version: "1.0.0"))).run(events: { _ in })
            #expect(v1.outcome == .promoted, "\(v1.reason ?? "")")
            let log = DeployEventLog()
            let v2 = try await Deployment(fixture.request(playbook, artifact: try await fixture.artifact(version: "2.0.0"))).run(events: log.sink)
            #expect(v2.outcome == .rolledBack, "\(v2.reason ?? "")")
            #expect(v2.reason?.contains("failed health") == true, "\(v2.reason ?? "")")
            #expect(log.details(.stable, .failed).contains { $0.contains("into the 10.0 s hold") }, "\(log.details(.stable, .failed))")
            for member in fleet.members { #expect(fixture.current(member.name) == v1.release, "\(member.name)") }
        }
    }

    @Test func aHoldOfZeroTurnsTheGateOff() async throws {
        try await TestFleet.with(hosts: 2) { fleet in
            defer { stopApps(fleet) }
            let fixture = try DeployFixture(fleet: fleet)
            let playbook = try playbookWithApp(fixture, strategy: "all-at-once", stableFor: "0s")
            let v2 = try await Deployment(fixture.request(playbook, artifact: try await fixture.artifact(version: "2.0.0"))).run(events: { _ in })
            // What happened before stable_for: promoted, and the app is gone two seconds later.
            #expect(v2.outcome == .promoted)
        }
    }

    /// A canary step with a bake; the KPI is `command` run in the release.
    func canaryPlaybook(_ fixture: DeployFixture, kpi: String, bake: String = "6s") throws -> String {
        try fixture.playbook(strategy: "{ canary: { steps: [ { hosts: 1, bake: \(bake) }, { percent: 100 } ] } }", extra: """
        kpis:
          errors: { \(kpi) }
        """)
    }

    @Test func aCanaryThatStopsAnsweringItsKPIFailsWhileTheBaselineAnswers() async throws {
        try await TestFleet.with(hosts: 3) { fleet in
            let fixture = try DeployFixture(fleet: fleet)
            // Version 2 gives a number for the first two samples, then none (its app "died").
            let kpi = """
            command: "if grep -q ^2 VERSION; then n=$(cat ../../shared/n 2>/dev/null || echo 0); echo $((n+1)) > ../../shared/n; [ $n -lt 2 ] && echo 0; else echo 0; fi", interval: 500ms, max: 5
            """
            let playbook = try canaryPlaybook(fixture, kpi: kpi)
            let v1 = try await Deployment(fixture.request(playbook, artifact: try await fixture.artifact(version: "1.0.0"))).run(events: { _ in })
            #expect(v1.outcome == .promoted, "\(v1.reason ?? "")")
            let log = DeployEventLog()
            let v2 = try await Deployment(fixture.request(playbook, artifact: try await fixture.artifact(version: "2.0.0"))).run(events: log.sink)
            #expect(v2.outcome == .rolledBack, "\(v2.reason ?? "")")
            let verdict = try #require(log.verdicts.first)
            #expect(verdict.verdict == .fail)
            let judged = try #require(verdict.kpis.first)
            #expect(judged.reason.contains("canary samples missing") && judged.reason.contains("while the baseline answered"), "\(judged.reason)")
            for member in fleet.members { #expect(fixture.current(member.name) == v1.release) }
        }
    }

    @Test func aCriticalKPIBreachedAtOnceEndsTheBakeEarly() async throws {
        try await TestFleet.with(hosts: 2) { fleet in
            let fixture = try DeployFixture(fleet: fleet)
            let playbook = try canaryPlaybook(fixture, kpi: "command: \"grep -q ^2 VERSION && echo 50 || echo 0\", interval: 300ms, max: 5, critical: true", bake: "60s")
            let v1 = try await Deployment(fixture.request(playbook, artifact: try await fixture.artifact(version: "1.0.0"))).run(events: { _ in })
            #expect(v1.outcome == .promoted, "\(v1.reason ?? "")")
            let log = DeployEventLog()
            let started = ContinuousClock.now
            let v2 = try await Deployment(fixture.request(playbook, artifact: try await fixture.artifact(version: "2.0.0"))).run(events: log.sink)
            #expect(ContinuousClock.now - started < .seconds(30), "the 60 s bake was not ended early")
            #expect(v2.outcome == .rolledBack, "\(v2.reason ?? "")")
            let verdict = try #require(log.verdicts.first)
            #expect(verdict.reason.hasPrefix("bake ended early"), "\(verdict.reason)")
            for member in fleet.members { #expect(fixture.current(member.name) == v1.release) }
        }
    }

    func launch(_ arguments: [String]) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: RepositoryPaths.cutoverExecutable)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    func waitUntil(_ limit: Duration, _ condition: () -> Bool) async throws -> Bool {
        let start = ContinuousClock.now
        while ContinuousClock.now - start < limit {
            if condition() { return true }
            try await Task.sleep(for: .milliseconds(50))
        }
        return condition()
    }

    /// A deploy baking a long canary in another process, stopped by `stop`; it must roll back
    /// within seconds and exit 3.
    func stopARunningDeploy(_ stop: (TestFleet, String, Process) async throws -> Void) async throws {
        try await TestFleet.with(hosts: 3) { fleet in
            let fixture = try DeployFixture(fleet: fleet)
            let first = try fixture.playbook(strategy: "all-at-once")
            let v1 = try await Deployment(fixture.request(first, artifact: try await fixture.artifact(version: "1.0.0"))).run(events: { _ in })
            #expect(v1.outcome == .promoted, "\(v1.reason ?? "")")
            let v1Release = try #require(v1.release)
            let playbook = try fixture.playbook(strategy: "{ canary: { steps: [ { hosts: 1, bake: 120s }, { percent: 100 } ] } }",
                                                activate: "./bin/restart; touch ../../shared/baking", extra: """
            kpis:
              errors: { command: "echo 0", interval: 500ms, max: 1 }
            """)
            let deploy = try launch(["deploy", playbook, "-i", fleet.inventoryPath, "--ssh-config", "none",
                                     "--artifact", try await fixture.artifact(version: "2.0.0")])
            let baking = try await waitUntil(.seconds(60)) {
                fleet.members.contains { FileManager.default.fileExists(atPath: $0.srv + "/web/shared/baking") }
            }
            #expect(baking)
            try await Task.sleep(for: .seconds(1))
            let asked = ContinuousClock.now
            try await stop(fleet, playbook, deploy)
            let exited = try await waitUntil(.seconds(30)) { !deploy.isRunning }
            if !exited { deploy.terminate() }
            deploy.waitUntilExit()
            #expect(ContinuousClock.now - asked < .seconds(45), "the deploy did not stop long before its 120 s bake ended")
            #expect(deploy.terminationStatus == 3)
            for member in fleet.members {
                #expect(fixture.current(member.name) == v1Release, "\(member.name)")
                #expect(!FileManager.default.fileExists(atPath: member.srv + "/web/.cutover/lock"))
            }
        }
    }

    @Test func abortFromAnotherProcessStopsARunningDeployAndRollsBack() async throws {
        try await stopARunningDeploy { fleet, playbook, _ in
            let abort = try await Shell.runDetached([RepositoryPaths.cutoverExecutable, "abort", playbook, "-i", fleet.inventoryPath, "--ssh-config", "none"])
            #expect(abort.status == 0, "\(abort.stderr)")
        }
    }

    @Test func sigtermStopsARunningDeployAndRollsBack() async throws {
        try await stopARunningDeploy { _, _, deploy in
            kill(deploy.processIdentifier, SIGTERM)
        }
    }

    @Test func aStoppedBakeIsNeverJudged() async throws {
        try await TestFleet.with(hosts: 2) { fleet in
            let fixture = try DeployFixture(fleet: fleet)
            let playbook = try canaryPlaybook(fixture, kpi: "command: \"echo 0\", interval: 300ms, max: 5", bake: "60s")
            let log = DeployEventLog()
            let stop = StopRequest()
            let task = Task { try await Deployment(fixture.request(playbook, artifact: try await fixture.artifact(version: "1.0.0"))).run(events: log.sink, stop: stop) }
            // A loaded machine may take a while to reach the bake; the stop must land in it.
            let baking = try await waitUntil(.seconds(150)) { log.kpiSamples > 2 }
            stop.request()
            let report = try await task.value
            try #require(baking, "the deploy never reached its bake: \(report.reason ?? "")")
            #expect(report.outcome == .interrupted)
            #expect(log.verdicts.isEmpty, "judged on partial data: \(log.verdicts.map(\.reason))")
            #expect(report.reason?.contains("not judged") == true, "\(report.reason ?? "")")
        }
    }

    @Test func pruningRemovesFailedReleasesFirstAndKeepsTheWayBack() async throws {
        try await TestFleet.with(hosts: 2) { fleet in
            let fixture = try DeployFixture(fleet: fleet)
            let playbook = try fixture.playbook(strategy: "all-at-once")  // keep_releases: 3
            var releases: [String: String] = [:]
            for (version, healthy) in [("1.0.0", true), ("1.1.0", true), ("1.2.0", false), ("1.3.0", false), ("1.4.0", true)] {
                let report = try await Deployment(fixture.request(playbook, artifact: try await fixture.artifact(version: version, healthy: healthy))).run(events: { _ in })
                #expect(report.outcome == (healthy ? .promoted : .rolledBack), "\(version): \(report.reason ?? "")")
                releases[version] = report.release
            }
            for member in fleet.members {
                let left = Set(try FileManager.default.contentsOfDirectory(atPath: member.srv + "/web/releases"))
                // The two rolled-back releases went; both good older ones (the way back) stayed.
                #expect(left == Set(["1.0.0", "1.1.0", "1.4.0"].compactMap { releases[$0] }), "\(member.name): \(left.sorted())")
            }
        }
    }

    @Test func aBlackHoledHostNeverHoldsUpARollback() async throws {
        try await TestFleet.with(hosts: 4) { fleet in
            let fixture = try DeployFixture(fleet: fleet)
            let playbook = try fixture.playbook(strategy: "all-at-once")
            let v1 = try await Deployment(fixture.request(playbook, artifact: try await fixture.artifact(version: "1.0.0"))).run(events: { _ in })
            _ = try await Deployment(fixture.request(playbook, artifact: try await fixture.artifact(version: "2.0.0"))).run(events: { _ in })
            // h1, the first host in name order, black-holed: packets dropped, no answer ever.
            let h1 = fleet.member("h1")
            let log = DeployEventLog()
            let connection = ConnectionSettings(inventoryPath: fleet.inventoryPath, sshConfigPath: "none", connectTimeout: .seconds(10))
            let started = ContinuousClock.now
            let finishedOthers = Mutex<Duration?>(nil)
            let report = try await NetworkFault.with(["ip daddr \(h1.address) tcp dport \(h1.port) drop", "ip saddr \(h1.address) tcp sport \(h1.port) drop"]) {
                try await FleetRollback(RollbackRequest(connection: connection, playbook: playbook)).run(events: { event in
                    log.sink(event)
                    if case .step(let host, .checks, .ok, _) = event, host != "h1" {
                        finishedOthers.withLock { $0 = .now - started }
                    }
                })
            }
            for name in ["h2", "h3", "h4"] { #expect(fixture.current(name) == v1.release, "\(name)") }
            let others = try #require(finishedOthers.withLock { $0 })
            // h1 costs 3 attempts of 10 s (about 32 s); the others go ahead once they have all
            // answered and max(3 s, 3x the slowest answer) passed: about 4 s on a quiet machine,
            // 8 s seen with every suite running at once on two cores.
            #expect(others < .seconds(20), "the reachable hosts waited for the black-holed one: \(others)")
            let h1Result = try #require(report.hosts.first { $0.host == "h1" })
            #expect(h1Result.state == .unreachable)
            #expect(h1Result.detail?.contains("attempts in") == true, "\(h1Result.detail ?? "")")
        }
    }

    @Test func aDeployThatSwitchedNothingExitsSeven() async throws {
        try await TestFleet.with(hosts: 2) { fleet in
            let fixture = try DeployFixture(fleet: fleet)
            let playbook = try fixture.playbook(strategy: "all-at-once")
            // h2's deploy root cannot be made: a file stands where the directory should be.
            try "".write(toFile: fleet.member("h2").srv + "/web", atomically: true, encoding: .utf8)
            let result = try await Shell.runDetached([RepositoryPaths.cutoverExecutable, "deploy", playbook, "-i", fleet.inventoryPath,
                                                     "--ssh-config", "none", "--artifact", try await fixture.artifact(version: "1.0.0")])
            #expect(result.status == 7, "\(result.stderr)")
            #expect(result.stderr.contains("nothing was switched"), "\(result.stderr)")
            #expect(fixture.current("h1") == nil)
        }
    }

    /// A migration in `before_switch` that fails on every host: nothing switched, exit 7, the
    /// hosts stay on the release they ran, and nothing is pruned.
    @Test func aBeforeSwitchHookFailingEverywhereSwitchesNothing() async throws {
        try await TestFleet.with(hosts: 2) { fleet in
            let fixture = try DeployFixture(fleet: fleet)
            let playbook = try fixture.playbook(strategy: "all-at-once", activate: """
            ./bin/restart
              before_switch: "if grep -q 2.0.0 VERSION; then echo migration failed >&2; exit 1; fi"
            """)
            let v1 = try await Deployment(fixture.request(playbook, artifact: try await fixture.artifact(version: "1.0.0"))).run(events: { _ in })
            #expect(v1.outcome == .promoted, "\(v1.reason ?? "")")
            let result = try await Shell.runDetached([RepositoryPaths.cutoverExecutable, "deploy", playbook, "-i", fleet.inventoryPath,
                                                     "--ssh-config", "none", "--artifact", try await fixture.artifact(version: "2.0.0")])
            #expect(result.status == 7, "\(result.stderr)")
            #expect(result.stderr.contains("before any host was switched"), "\(result.stderr)")
            for member in fleet.members { #expect(fixture.current(member.name) == v1.release, "\(member.name)") }
        }
    }

    /// A first deploy whose health check fails: no earlier release, so the summary offers a
    /// fixed release instead of `resume` (which would retry the broken one) or `rollback`.
    @Test func aFailedFirstDeploySaysThereIsNoEarlierRelease() async throws {
        try await TestFleet.with(hosts: 2) { fleet in
            let fixture = try DeployFixture(fleet: fleet)
            let playbook = try fixture.playbook(strategy: "all-at-once")
            let result = try await Shell.runDetached([RepositoryPaths.cutoverExecutable, "deploy", playbook, "-i", fleet.inventoryPath,
                                                     "--ssh-config", "none", "--artifact", try await fixture.artifact(version: "1.0.0", healthy: false)])
            #expect(result.status == 4, "\(result.stderr)")
            #expect(result.stderr.contains("had no earlier release (a first deploy)"), "\(result.stderr)")
            #expect(result.stderr.contains("deploy a fixed release with: cutover deploy"), "\(result.stderr)")
            #expect(!result.stderr.contains("finish with"), "\(result.stderr)")
        }
    }
}
