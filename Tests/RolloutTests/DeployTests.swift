import Analysis
import Foundation
@testable import Rollout
import Testing
import Synchronization
import TestSupport

@Suite("Deploys on real sshd hosts", .timeLimit(.minutes(3)))
struct DeployTests {
    @Test func aGoodReleaseIsPromotedAndABadOneRolledBack() async throws {
        try await TestFleet.with(hosts: 4) { fleet in
            let fixture = try DeployFixture(fleet: fleet)
            let playbook = try fixture.playbook()
            let good = try await fixture.artifact(version: "1.0.0")
            let first = try await Deployment(fixture.request(playbook, artifact: good)).run(events: { _ in })
            #expect(first.outcome == .promoted)
            let goodRelease = try #require(first.release)
            for member in fleet.members {
                #expect(fixture.current(member.name) == goodRelease)
                #expect(fixture.running(member.name) == goodRelease)
            }

            // The same artifact again: nothing to upload.
            let again = DeployEventLog()
            let second = try await Deployment(fixture.request(playbook, artifact: good)).run(events: again.sink)
            #expect(second.outcome == .promoted)
            #expect(Set(again.steps(.upload, .skipped)) == Set(fleet.members.map(\.name)))

            // A release whose health check fails: wave 1 (h1, h2) switches, fails, goes back.
            let bad = try await fixture.artifact(version: "1.1.0", healthy: false)
            let log = DeployEventLog()
            let third = try await Deployment(fixture.request(playbook, artifact: bad)).run(events: log.sink)
            #expect(third.outcome == .rolledBack)
            #expect(log.rollbacks == [["h1", "h2"]])
            for member in fleet.members {
                #expect(fixture.current(member.name) == goodRelease, "\(member.name) is not back on the good release")
                #expect(fixture.running(member.name) == goodRelease, "\(member.name) did not re-run activate")
            }
            #expect(fixture.journal("h1").contains("step=rollback"))
            #expect(!fixture.journal("h3").contains("step=switch to=\(third.release ?? "")"))
            // Shared paths are links into shared/.
            let log1 = fleet.member("h1").srv + "/web/releases/\(goodRelease)/log"
            #expect((try? FileManager.default.destinationOfSymbolicLink(atPath: log1)) == "/srv/web/shared/log")
        }
    }

    @Test func anHTTPCheckFromTheOrchestratorGatesTheWave() async throws {
        try await TestFleet.with(hosts: 2) { fleet in
            // The "app" answers HTTP on each host's own address, on one port.
            let first = try TinyHTTPServer(address: fleet.members[0].address)
            let servers = [first] + (try fleet.members.dropFirst().map { try TinyHTTPServer(address: $0.address, port: first.port) })
            defer { for server in servers { server.stop() } }
            let fixture = try DeployFixture(fleet: fleet)
            let playbook = try fixture.playbook(strategy: "all-at-once")
            var text = try String(contentsOfFile: playbook, encoding: .utf8)
            text = text.replacingOccurrences(of: "health:\n", with: "health:\n  - http: http://{{ address }}:\(first.port)/health\n    status: 200\n    timeout: 2s\n")
            try text.write(toFile: playbook, atomically: true, encoding: .utf8)
            let v1 = try await Deployment(fixture.request(playbook, artifact: try await fixture.artifact(version: "1.0.0"))).run(events: { _ in })
            #expect(v1.outcome == .promoted)
            servers[1].respond(with: 503)
            let log = DeployEventLog()
            let v2 = try await Deployment(fixture.request(playbook, artifact: try await fixture.artifact(version: "2.0.0"))).run(events: log.sink)
            #expect(v2.outcome == .rolledBack)
            #expect(log.steps(.health, .failed) == [fleet.members[1].name])
            for member in fleet.members { #expect(fixture.current(member.name) == v1.release) }
        }
    }

    @Test func aFailingActivateHookRollsBack() async throws {
        try await TestFleet.with(hosts: 2) { fleet in
            let fixture = try DeployFixture(fleet: fleet)
            // Release 2.0.0's restart "fails" (after recording itself, as a half-started app would).
            let playbook = try fixture.playbook(strategy: "all-at-once", activate: "./bin/restart && ! grep -q 2.0.0 VERSION")
            let v1 = try await Deployment(fixture.request(playbook, artifact: try await fixture.artifact(version: "1.0.0"))).run(events: { _ in })
            #expect(v1.outcome == .promoted)
            let log = DeployEventLog()
            let v2 = try await Deployment(fixture.request(playbook, artifact: try await fixture.artifact(version: "2.0.0"))).run(events: log.sink)
            #expect(v2.outcome == .rolledBack)
            #expect(Set(log.steps(.activate, .failed)) == ["h1", "h2"])
            #expect(Set(log.steps(.switch, .ok)) == ["h1", "h2"])
            for member in fleet.members {
                #expect(fixture.current(member.name) == v1.release)
                #expect(fixture.running(member.name) == v1.release, "activate was not re-run for the old release")
            }
        }
    }

    /// The switch and `activate` run in one round trip, yet their steps are timed apart: the
    /// switch ends when the host says it is done, not when the hook is.
    @Test func theSwitchAndTheActivateHookAreTimedApart() async throws {
        try await TestFleet.with(hosts: 1) { fleet in
            let fixture = try DeployFixture(fleet: fleet)
            let playbook = try fixture.playbook(strategy: "all-at-once", activate: "sleep 2; ./bin/restart")
            let log = DeployEventLog()
            let report = try await Deployment(fixture.request(playbook, artifact: try await fixture.artifact(version: "1.0.0"))).run(events: log.sink)
            #expect(report.outcome == .promoted)
            let switched = try #require(log.times("h1", .switch, .ok).first)
            let started = try #require(log.times("h1", .activate, .started).first)
            let activated = try #require(log.times("h1", .activate, .ok).first)
            #expect(switched <= started && started <= activated)
            // The hook sleeps 2 s after the switch: at least that long between the two events.
            #expect(activated - switched >= .milliseconds(1900))
        }
    }

    @Test func aCanaryWhoseKPIRisesAgainstTheBaselineIsRolledBack() async throws {
        try await TestFleet.with(hosts: 4) { fleet in
            let fixture = try DeployFixture(fleet: fleet)
            // Release 2.x serves 40% errors; 1.x serves about 1%. Health checks pass for both.
            let playbook = try fixture.playbook(strategy: """
            { canary: { steps: [ { hosts: 1, bake: 2s }, { percent: 100, bake: 1s } ] } }
            """, extra: """
            kpis:
              error_rate:
                command: "case $(cat VERSION) in 2.*) echo 40;; *) echo 1;; esac"
                interval: 300ms
                max: 5
                direction: increase
                critical: true
            """)
            let v1Log = DeployEventLog()
            let v1 = try await Deployment(fixture.request(playbook, artifact: try await fixture.artifact(version: "1.0.0"))).run(events: v1Log.sink)
            #expect(v1.outcome == .promoted)
            // The first wave had no baseline on an old release (first deploy): judged on its threshold alone.
            #expect(v1Log.verdicts.first?.verdict == .pass)

            let log = DeployEventLog()
            let v2 = try await Deployment(fixture.request(playbook, artifact: try await fixture.artifact(version: "2.0.0"))).run(events: log.sink)
            #expect(v2.outcome == .rolledBack)
            let verdict = try #require(log.verdicts.first)
            #expect(verdict.verdict == .fail)
            #expect(verdict.canary.count == 1)
            #expect(verdict.baseline.count == 1)
            #expect(verdict.kpis.first?.reason.contains("40") == true)
            // Each canary sample past `max: 5` says so; the baseline's 1 does not.
            let canarySamples = log.samples.filter { $0.group == .canary && $0.value != nil }
            #expect(!canarySamples.isEmpty && canarySamples.allSatisfy { $0.breach == KPISample.Breach(bound: .max, limit: 5) })
            #expect(log.samples.filter { $0.group == .baseline }.allSatisfy { $0.breach == nil })
            #expect(log.rollbacks == [verdict.canary])
            for member in fleet.members { #expect(fixture.current(member.name) == v1.release) }
        }
    }

    /// A KPI command sees the hook variables of the release its host serves: the canary's
    /// `CUTOVER_VERSION` is the new one, the baseline's the old one.
    @Test func aKPICommandSeesTheReleaseItMeasures() async throws {
        try await TestFleet.with(hosts: 2) { fleet in
            let fixture = try DeployFixture(fleet: fleet)
            let playbook = try fixture.playbook(strategy: """
            { canary: { steps: [ { hosts: 1, bake: 2s }, { percent: 100, bake: 1s } ] } }
            """, extra: """
            kpis:
              error_rate:
                command: "case $CUTOVER_VERSION in 2.*) echo 40;; 1.*) echo 1;; *) echo 0;; esac"
                interval: 300ms
                max: 5
                direction: increase
                critical: true
            """)
            let v1 = try await Deployment(fixture.request(playbook, artifact: try await fixture.artifact(version: "1.0.0"))).run(events: DeployEventLog().sink)
            #expect(v1.outcome == .promoted)
            let log = DeployEventLog()
            let v2 = try await Deployment(fixture.request(playbook, artifact: try await fixture.artifact(version: "2.0.0"))).run(events: log.sink)
            #expect(v2.outcome == .rolledBack)
            #expect(log.samples.filter { $0.group == .canary }.allSatisfy { $0.value == 40 }, "\(log.samples)")
            #expect(log.samples.filter { $0.group == .baseline }.allSatisfy { $0.value == 1 }, "\(log.samples)")
            #expect(!log.samples.isEmpty)
        }
    }

    @Test func aPrometheusKPIJudgesTheCanary() async throws {
        try await TestFleet.with(hosts: 4) { fleet in
            let fixture = try DeployFixture(fleet: fleet)
            // Each host's "app" exports its error ratio, 0.4 when it runs release 2.x, else 0.01.
            let first = try TinyHTTPServer(address: fleet.members[0].address)
            let apps = [first] + (try fleet.members.dropFirst().map { try TinyHTTPServer(address: $0.address, port: first.port) })
            defer { for app in apps { app.stop() } }
            for (app, member) in zip(apps, fleet.members) {
                let version = member.srv + "/web/current/VERSION"
                app.serve {
                    let running = (try? String(contentsOfFile: version, encoding: .utf8)) ?? ""
                    return "# TYPE app_error_ratio gauge\napp_error_ratio \(running.hasPrefix("2.") ? 0.4 : 0.01)\n"
                }
            }
            let prometheus = try await PrometheusServer.start(
                in: fixture.directory, address: fleet.members[0].address, targets: fleet.members.map { "\($0.address):\(first.port)" })
            defer { prometheus.stop() }
            let playbook = try fixture.playbook(strategy: """
            { canary: { steps: [ { hosts: 1, bake: 3s }, { percent: 100 } ] } }
            """, extra: """
            kpis:
              errors:
                prometheus: { url: "\(prometheus.url)", query: 'app_error_ratio{instance="{{ address }}:\(first.port)"}' }
                interval: 500ms
                max_increase: 50%
                direction: increase
                critical: true
                no_data: fail
            """)
            let v1 = try await Deployment(fixture.request(playbook, artifact: try await fixture.artifact(version: "1.0.0"))).run(events: { _ in })
            #expect(v1.outcome == .promoted)
            let log = DeployEventLog()
            let v2 = try await Deployment(fixture.request(playbook, artifact: try await fixture.artifact(version: "2.0.0"))).run(events: log.sink)
            #expect(v2.outcome == .rolledBack)
            let verdict = try #require(log.verdicts.first)
            #expect(verdict.verdict == .fail)
            // Prometheus sees the new release from its next scrape on, so the canary mean lies between 0.01 and 0.4.
            #expect(verdict.kpis.first?.reason.contains("vs baseline 0.01") == true, "\(verdict.kpis.map(\.reason))")
            for member in fleet.members { #expect(fixture.current(member.name) == v1.release) }
        }
    }

    @Test func smokeTestsOnTheHostAndLocallyGateTheWave() async throws {
        try await TestFleet.with(hosts: 2) { fleet in
            let fixture = try DeployFixture(fleet: fleet)
            let playbook = try fixture.playbook(strategy: "all-at-once", extra: """
            smoke:
              - command: echo "smoke ok on {{ host }} ($(cat VERSION))"; ! grep -q 2.0.0 VERSION
                retries: 1
                interval: 100ms
              - command: echo "local check of {{ address }}"
                run_on: local
                timeout: 5s
            """)
            let log1 = DeployEventLog()
            let v1 = try await Deployment(fixture.request(playbook, artifact: try await fixture.artifact(version: "1.0.0"))).run(events: log1.sink)
            #expect(v1.outcome == .promoted)
            let passed = log1.details(.smoke, .ok)
            #expect(passed.contains { $0.contains("smoke ok on h1 (1.0.0)") })
            #expect(passed.contains { $0.hasPrefix("local `echo ") && $0.contains(" passed, exit 0: local check of \(fleet.member("h2").address)") }, "\(passed)")

            let log2 = DeployEventLog()
            let v2 = try await Deployment(fixture.request(playbook, artifact: try await fixture.artifact(version: "2.0.0"))).run(events: log2.sink)
            #expect(v2.outcome == .rolledBack)
            #expect(log2.details(.smoke, .failed).contains { $0.contains("smoke ok on h1 (2.0.0)") && $0.contains("exit 1") })
            for member in fleet.members { #expect(fixture.current(member.name) == v1.release) }
        }
    }

    /// Command checks and host smoke tests get the `CUTOVER_*` values their step's hooks get:
    /// health (first attempts in the switch's round trip, then the `stable_for` hold), smoke on
    /// the host, and the rollback's checks (about the release gone back to).
    @Test func checksAndSmokeTestsOnTheHostSeeTheHookVariables() async throws {
        try await TestFleet.with(hosts: 2) { fleet in
            let fixture = try DeployFixture(fleet: fleet)
            let sameRelease = #"test "$CUTOVER_RELEASE" = "$(basename "$(pwd -P)")" && test "$CUTOVER_DEPLOY_ROOT" = /srv/web"#
            let policy = fixture.directory + "/env-policy.yml"
            try "triggers: [health]\nscope: all\nchecks:\n  - command: '\(sameRelease) && test -n \"$CUTOVER_DEPLOY_ID\"'\n"
                .write(toFile: policy, atomically: true, encoding: .utf8)
            let playbook = fixture.directory + "/env.yml"
            try """
            app: web
            deploy_root: /srv/web
            strategy: all-at-once
            stable_for: 2s
            hooks: { activate: ./bin/restart }
            health:
              - command: '\(sameRelease) && test "$CUTOVER_HOST" = "{{ host }}" && ! grep -q 3.0.0 VERSION'
            smoke:
              - command: 'echo "smoke sees $CUTOVER_RELEASE on $CUTOVER_HOST from ${CUTOVER_PREVIOUS_RELEASE:-nothing}"; \(sameRelease)'
            rollback: \(policy)
            """.write(toFile: playbook, atomically: true, encoding: .utf8)
            let log1 = DeployEventLog()
            let v1 = try await Deployment(fixture.request(playbook, artifact: try await fixture.artifact(version: "1.0.0"))).run(events: log1.sink)
            #expect(v1.outcome == .promoted, "\(v1.hosts.map { $0.detail ?? "" })")
            #expect(log1.details(.smoke, .ok).contains { $0.contains("smoke sees \(v1.release ?? "-") on h1 from nothing") }, "\(log1.details(.smoke, .ok))")
            #expect(Set(log1.steps(.stable, .ok)) == ["h1", "h2"])
            let v2 = try await Deployment(fixture.request(playbook, artifact: try await fixture.artifact(version: "2.0.0"))).run(events: { _ in })
            #expect(v2.outcome == .promoted)
            // 3.0.0 fails its health: the rollback's checks run about 2.0.0, and pass.
            let log3 = DeployEventLog()
            let v3 = try await Deployment(fixture.request(playbook, artifact: try await fixture.artifact(version: "3.0.0"))).run(events: log3.sink)
            #expect(v3.outcome == .rolledBack)
            #expect(Set(log3.steps(.checks, .ok)) == ["h1", "h2"], "\(log3.details(.checks, .failed))")
            for member in fleet.members { #expect(fixture.current(member.name) == v2.release) }
        }
    }

    @Test func aKPIMissingOnTheCanaryWhileTheBaselineAnswersFailsIt() async throws {
        try await TestFleet.with(hosts: 3) { fleet in
            let fixture = try DeployFixture(fleet: fleet)
            // The metric is missing on release 2.x (the command prints nothing and fails).
            let playbook = try fixture.playbook(strategy: """
            { canary: { steps: [ { hosts: 1, bake: 1s }, { percent: 100 } ] } }
            """, extra: """
            kpis:
              latency:
                command: "grep -q 2.0.0 VERSION && exit 1; echo 12"
                interval: 250ms
                max: 100
                no_data: fail
            """)
            var first = fixture.request(playbook, artifact: try await fixture.artifact(version: "1.0.0"))
            first.strategy = .allAtOnce
            let v1 = try await Deployment(first).run(events: { _ in })
            #expect(v1.outcome == .promoted)
            let log = DeployEventLog()
            let v2 = try await Deployment(fixture.request(playbook, artifact: try await fixture.artifact(version: "2.0.0"))).run(events: log.sink)
            #expect(v2.outcome == .rolledBack)
            // Missing samples are evidence: the baseline (still 1.0.0) answered all along.
            #expect(log.verdicts.first?.kpis.first?.classification == .fail)
            #expect(log.verdicts.first?.kpis.first?.reason.contains("while the baseline answered") == true,
                    "\(log.verdicts.first?.kpis.first?.reason ?? "")")
            for member in fleet.members { #expect(fixture.current(member.name) == v1.release) }
        }
    }

    @Test func inventoryValuesInCommandsStayData() async throws {
        try await TestFleet.with(hosts: 1) { fleet in
            let fixture = try DeployFixture(fleet: fleet)
            // A host variable that would run a command if it were pasted into the shell as is.
            let evil = "$(touch /srv/pwned); `touch /srv/pwned2` 'quoted' \"double\" ü"
            var inventory = try String(contentsOfFile: fleet.inventoryPath, encoding: .utf8)
            let escaped = evil.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            inventory = inventory.replacingOccurrences(of: "  h1: { address:", with: "  h1: { vars: { evil: \"\(escaped)\" }, address:")
            try inventory.write(toFile: fleet.inventoryPath, atomically: true, encoding: .utf8)
            let playbook = try fixture.playbook(strategy: "all-at-once", extra: """
            smoke:
              - command: printf '%s' {{ vars.evil }} > /srv/web/shared/echoed
            """)
            let report = try await Deployment(fixture.request(playbook, artifact: try await fixture.artifact(version: "1.0.0"))).run(events: { _ in })
            #expect(report.outcome == .promoted)
            let srv = fleet.member("h1").srv
            #expect(!FileManager.default.fileExists(atPath: srv + "/pwned"))
            #expect(!FileManager.default.fileExists(atPath: srv + "/pwned2"))
            #expect(try String(contentsOfFile: srv + "/web/shared/echoed", encoding: .utf8) == evil)
        }
    }

    @Test func failuresWithinTheBudgetRollBackOnlyThoseHosts() async throws {
        try await TestFleet.with(hosts: 4) { fleet in
            let fixture = try DeployFixture(fleet: fleet)
            let playbook = try fixture.playbook(strategy: "all-at-once", maxFailures: "1", scope: "host")
            let v1 = try await Deployment(fixture.request(playbook, artifact: try await fixture.artifact(version: "1.0.0"))).run(events: { _ in })
            #expect(v1.outcome == .promoted)
            let flaky = try await fixture.artifact(version: "2.0.0", healthy: false, failingHosts: ["h3"])
            let report = try await Deployment(fixture.request(playbook, artifact: flaky)).run(events: { _ in })
            #expect(report.outcome == .partial)
            #expect(fixture.current("h3") == v1.release)
            for name in ["h1", "h2", "h4"] { #expect(fixture.current(name) == report.release) }
            #expect(report.hosts.first { $0.host == "h3" }?.state == .rolledBack)
        }
    }

    /// An activate hook that starts the app in the background without redirecting its output:
    /// the shared shell stops the app, the step that failed is activate (not the checks that ran
    /// after it in the same round trip) and the summary says what to do. The rollback re-runs the
    /// same hook (no on_rollback), which fails the same way: not converged, every host back on
    /// its old `current`.
    @Test func anActivateHookLeavingItsOutputOpenFailsActivateAndSaysWhy() async throws {
        try await TestFleet.with(hosts: 2) { fleet in
            let fixture = try DeployFixture(fleet: fleet)
            let v1 = try await Deployment(fixture.request(try fixture.playbook(strategy: "all-at-once"),
                                                          artifact: try await fixture.artifact(version: "1.0.0"))).run(events: { _ in })
            #expect(v1.outcome == .promoted)
            let log = DeployEventLog()
            let careless = try fixture.playbook(strategy: "all-at-once", activate: "\"sleep 60 & ./bin/restart\"")
            let report = try await Deployment(fixture.request(careless, artifact: try await fixture.artifact(version: "2.0.0"))).run(events: log.sink)
            #expect(report.outcome == .notConverged)
            #expect(Set(log.steps(.activate, .failed)) == ["h1", "h2"])
            #expect(log.steps(.health, .failed).isEmpty)
            #expect(report.hosts.allSatisfy { $0.detail?.contains("running with its output") == true }, "\(report.hosts.map { $0.detail ?? "" })")
            #expect(report.hosts.allSatisfy { $0.detail?.contains("@hook-started") == false }, "no marker line in the reason")
            for member in fleet.members { #expect(fixture.current(member.name) == v1.release) }
        }
    }

    @Test func aMaliciousArchiveIsRefusedBeforeAnyHostIsTouched() async throws {
        try await TestFleet.with(hosts: 1) { fleet in
            let fixture = try DeployFixture(fleet: fleet)
            let playbook = try fixture.playbook()
            let evil = fixture.directory + "/evil-1.0.0.tar.gz"
            let made = try await Shell.runDetached(["sh", "-c", "cd '\(fixture.directory)' && mkdir -p e && echo x > e/x && tar -czf '\(evil)' --transform 's,^e/x,../../etc/x,' e/x"])
            #expect(made.status == 0)
            do {
                _ = try await Deployment(fixture.request(playbook, artifact: evil)).run(events: { _ in })
                Issue.record("a traversing archive was deployed")
            } catch let error as RolloutError {
                #expect(error.description.contains("refused before any host was touched"))
            }
            #expect(!FileManager.default.fileExists(atPath: fleet.member("h1").srv + "/web"))
        }
    }

    @Test func aHeldLeaseStopsASecondDeployUntilUnlocked() async throws {
        try await TestFleet.with(hosts: 2) { fleet in
            let fixture = try DeployFixture(fleet: fleet)
            let playbook = try fixture.playbook(strategy: "all-at-once")
            let artifact = try await fixture.artifact(version: "1.0.0")
            // Another deploy's live lease on h2.
            let meta = fleet.member("h2").srv + "/web/.cutover"
            try FileManager.default.createDirectory(atPath: meta, withIntermediateDirectories: true)
            let expires = Int(Date().timeIntervalSince1970) + 600
            try "owner=alice@ci pid 1\ndeploy=d-other\nexpires=\(expires)\ntoken=7\n".write(toFile: meta + "/lock", atomically: true, encoding: .utf8)
            try await Shell.runDetached(["chown", "-R", fleet.user, fleet.member("h2").srv + "/web"])
            let started = ContinuousClock.now
            let blocked = try await Deployment(fixture.request(playbook, artifact: artifact, lockWait: .seconds(2))).run(events: { _ in })
            #expect(blocked.outcome == .lockHeld)
            #expect(ContinuousClock.now - started >= .seconds(2))
            #expect(blocked.reason?.contains("d-other by alice@ci pid 1") == true)
            #expect(fixture.current("h1") == nil, "a host was switched although the fleet was locked")

            let unlocked = try await LeaseBreak(PlaybookRequest(
                connection: ConnectionSettings(inventoryPath: fleet.inventoryPath, sshConfigPath: "none"), playbook: playbook)).run(events: { _ in })
            #expect(unlocked.outcome == .promoted)
            #expect(fixture.journal("h2").contains("step=unlock"))
            let deployed = try await Deployment(fixture.request(playbook, artifact: artifact)).run(events: { _ in })
            #expect(deployed.outcome == .promoted)
        }
    }

    @Test func unlockLeavesTheLeaseOfADeployStillRunningHereUnlessForced() async throws {
        try await TestFleet.with(hosts: 1) { fleet in
            let fixture = try DeployFixture(fleet: fleet)
            let playbook = try fixture.playbook(strategy: "all-at-once")
            let meta = fleet.member("h1").srv + "/web/.cutover"
            try FileManager.default.createDirectory(atPath: meta, withIntermediateDirectories: true)
            // A deploy of this machine whose process runs: the test runner's parent.
            let expires = Int(Date().timeIntervalSince1970) + 600
            let start = LeaseHolder.startTime(of: getppid()) ?? "?"
            try "owner=ops@\(LeaseHolder.thisMachine) pid \(getppid()) at \(LeaseHolder.processSpace) since \(start)\ndeploy=d-live\nexpires=\(expires)\ntoken=4\n"
                .write(toFile: meta + "/lock", atomically: true, encoding: .utf8)
            try await Shell.runDetached(["chown", "-R", fleet.user, fleet.member("h1").srv + "/web"])
            let request = PlaybookRequest(connection: ConnectionSettings(inventoryPath: fleet.inventoryPath, sshConfigPath: "none"), playbook: playbook)
            // resume would reuse that deploy's id, and so its lease: refused while it runs.
            let artifact = try await fixture.artifact(version: "1.0.0")
            await #expect(throws: RolloutError.self) {
                _ = try await DeployResume(fixture.request(playbook, artifact: artifact)).run(events: { _ in })
            }
            #expect(fixture.current("h1") == nil)
            let kept = try await LeaseBreak(request).run(events: { _ in })
            #expect(kept.outcome == .partial)
            #expect(kept.hosts.first?.detail?.contains("d-live still runs here") == true, "\(kept.hosts)")
            #expect(FileManager.default.fileExists(atPath: meta + "/lock"))
            let forced = try await LeaseBreak(request, force: true).run(events: { _ in })
            #expect(forced.outcome == .promoted)
            #expect(!FileManager.default.fileExists(atPath: meta + "/lock"))
            #expect(fixture.journal("h1").contains("step=unlock"))
        }
    }

    @Test func twoDeploysRacingForTheSameAppLeaveOneWinner() async throws {
        try await TestFleet.with(hosts: 3) { fleet in
            let fixture = try DeployFixture(fleet: fleet)
            let playbook = try fixture.playbook(strategy: "all-at-once")
            let a = try await fixture.artifact(version: "1.0.0")
            let b = try await fixture.artifact(version: "2.0.0")
            async let first = Deployment(fixture.request(playbook, artifact: a)).run(events: { _ in })
            async let second = Deployment(fixture.request(playbook, artifact: b)).run(events: { _ in })
            let reports = try await [first, second]
            let outcomes = reports.map(\.outcome)
            // Each host's lease goes to one of them; a deploy that misses any lease stops before switching.
            #expect(outcomes.contains(.lockHeld))
            let losers = reports.filter { $0.outcome == .lockHeld }
            for loser in losers {
                for member in fleet.members {
                    let journal = fixture.journal(member.name)
                    #expect(!journal.contains("deploy=\(loser.deployID) step=switch"), "the loser switched \(member.name)")
                    #expect(!journal.contains("deploy=\(loser.deployID) step=extract"), "the loser wrote a release on \(member.name)")
                }
            }
            // Every host runs a complete release, and no lease is left behind.
            for member in fleet.members {
                if let current = fixture.current(member.name) {
                    #expect(FileManager.default.fileExists(atPath: member.srv + "/web/releases/\(current)/bin/health"))
                }
                #expect(!FileManager.default.fileExists(atPath: member.srv + "/web/.cutover/lock"))
            }
        }
    }

    @Test func rollbackWithNothingEarlierSaysSoAndTouchesNothing() async throws {
        try await TestFleet.with(hosts: 2) { fleet in
            let fixture = try DeployFixture(fleet: fleet)
            let playbook = try fixture.playbook(strategy: "all-at-once")
            let v1 = try await Deployment(fixture.request(playbook, artifact: try await fixture.artifact(version: "1.0.0"))).run(events: { _ in })
            let connection = ConnectionSettings(inventoryPath: fleet.inventoryPath, sshConfigPath: "none")
            let back = try await FleetRollback(RollbackRequest(connection: connection, playbook: playbook)).run(events: { _ in })
            #expect(back.outcome == .partial)
            #expect(back.reason?.contains("no earlier release to go back to") == true)
            let wrong = try await FleetRollback(RollbackRequest(connection: connection, playbook: playbook, target: "9.9-deadbeef0000")).run(events: { _ in })
            #expect(wrong.outcome == .partial)
            #expect(wrong.reason?.contains("is not on this host") == true)
            for member in fleet.members { #expect(fixture.current(member.name) == v1.release) }
        }
    }

    @Test func rollbackGoesBackEverywhereAndToleratesADownHost() async throws {
        try await TestFleet.with(hosts: 3) { fleet in
            let fixture = try DeployFixture(fleet: fleet)
            let playbook = try fixture.playbook(strategy: "all-at-once")
            let v1 = try await Deployment(fixture.request(playbook, artifact: try await fixture.artifact(version: "1.0.0"))).run(events: { _ in })
            let v2 = try await Deployment(fixture.request(playbook, artifact: try await fixture.artifact(version: "2.0.0"))).run(events: { _ in })
            #expect(v2.outcome == .promoted)
            try await fleet.stopHost("h3")
            let connection = ConnectionSettings(inventoryPath: fleet.inventoryPath, sshConfigPath: "none", connectTimeout: .seconds(3))
            let back = try await FleetRollback(RollbackRequest(connection: connection, playbook: playbook)).run(events: { _ in })
            #expect(back.outcome == .partial)
            #expect(fixture.current("h1") == v1.release)
            #expect(fixture.current("h2") == v1.release)
            #expect(fixture.running("h1") == v1.release)
            #expect(fixture.current("h3") == v2.release)
            #expect(back.hosts.first { $0.host == "h3" }?.state == .unreachable)

            // Status tells the truth, mixed releases included.
            try await fleet.startHost("h3")
            let statuses = StatusLog()
            let status = try await FleetStatus(PlaybookRequest(connection: connection, playbook: playbook)).run(events: statuses.sink)
            #expect(status.reason?.contains("mixed releases") == true)
            #expect(statuses.current("h3") == v2.release)
            #expect(statuses.current("h1") == v1.release)
            #expect(statuses.previous("h1") == nil || statuses.previous("h1") == v2.release)
        }
    }
}

final class StatusLog: Sendable {
    private let reports = Mutex([String: HostStatusReport]())
    var sink: DeployEventSink {
        { [self] event in if case .hostStatus(let r) = event { reports.withLock { $0[r.host] = r } } }
    }
    func current(_ host: String) -> String? { reports.withLock { $0[host]?.current } }
    func previous(_ host: String) -> String? { reports.withLock { $0[host]?.previous } }
}

extension StatusLog {
    /// Everything `status` said about a host.
    func report(_ host: String) -> HostStatusReport? { reports.withLock { $0[host] } }
}
