import Release
import Foundation
import Release
@_spi(Simulation) import Rollout
import Synchronization
import Testing

/// The engine's decisions (failure budget, rollback scope and triggers, aborts, pauses, resume,
/// rollback targets, leases) against simulated hosts: the real `Deployment` with
/// ``SimulatedHost`` workers, no SSH. The same gates run against real sshd hosts in
/// `DeployTests`, `ManualPauseTests`, `InterruptedDeployTests` and the fault matrices.
@Suite("Engine decisions on simulated hosts", .timeLimit(.minutes(2)))
struct EngineDecisionTests {
    static let rolling = "{ rolling: { batch: 1 } }"

    private func deploy(_ sim: SimulatedDeploy, _ fleet: SimulatedFleet, playbook: String, artifact: String? = nil,
                        stop: StopRequest = StopRequest(), events: @escaping DeployEventSink = { _ in }) async throws -> DeployReport {
        var path = artifact
        if path == nil { path = try await sim.artifact(version: "2.0.0") }
        guard let artifact = path else { throw CancellationError() }
        return try await Deployment(sim.request(playbook, artifact: artifact)).simulate(fleet, events: events, stop: stop)
    }

    @Test func everyHealthyHostIsPromotedAndJournalsItsVerifiedWave() async throws {
        let sim = try SimulatedDeploy(hosts: 4)
        defer { sim.remove() }
        let fleet = sim.fleet()
        let report = try await deploy(sim, fleet, playbook: sim.playbook(strategy: Self.rolling))
        #expect(report.outcome == .promoted)
        #expect(Set(report.states.values) == [.promoted])
        for name in sim.names {
            let disk = fleet.disks[name]!.snapshot
            #expect(disk.current?.description == report.release)
            #expect(disk.lease == nil, "the lease is released")
            #expect(disk.journalSteps.contains("wave-verified"))
        }
    }

    /// Budget 0, scope all: the first wave's failure rolls back that wave; later waves never start.
    @Test func aCanaryFailureBeyondTheBudgetRollsBackAndStopsTheDeploy() async throws {
        let sim = try SimulatedDeploy(hosts: 4)
        defer { sim.remove() }
        let fleet = sim.fleet(["h1": .unhealthy])
        let report = try await deploy(sim, fleet, playbook: sim.playbook(strategy: Self.rolling))
        #expect(report.outcome == .rolledBack)
        #expect(report.states == ["h1": .rolledBack, "h2": .unchanged, "h3": .unchanged, "h4": .unchanged])
        for name in sim.names { #expect(fleet.disks[name]!.snapshot.current?.description == SimulatedDeploy.old) }
        #expect(fleet.disks["h1"]!.snapshot.journalSteps.suffix(2) == ["rollback", "rollback-verified"])
    }

    /// A failure within the budget rolls back that host (its trigger is in the policy) and the
    /// deploy goes on: partial.
    @Test func aFailureWithinTheBudgetRollsBackOnlyThatHostAndGoesOn() async throws {
        let sim = try SimulatedDeploy(hosts: 4)
        defer { sim.remove() }
        let fleet = sim.fleet(["h2": .unhealthy])
        let report = try await deploy(sim, fleet, playbook: sim.playbook(strategy: Self.rolling, maxFailures: "1"))
        #expect(report.outcome == .partial)
        #expect(report.states == ["h1": .promoted, "h2": .rolledBack, "h3": .promoted, "h4": .promoted])
        #expect(fleet.disks["h2"]!.snapshot.current?.description == SimulatedDeploy.old)
        #expect(fleet.disks["h3"]!.snapshot.current?.description == report.release)
    }

    /// Over the budget in the second wave: the scope says which hosts go back.
    @Test(arguments: [
        ("host", ["h1": DeployReport.HostFinalState.promoted, "h2": .promoted, "h3": .rolledBack, "h4": .promoted]),
        ("wave", ["h1": .promoted, "h2": .promoted, "h3": .rolledBack, "h4": .rolledBack]),
        ("all", ["h1": .rolledBack, "h2": .rolledBack, "h3": .rolledBack, "h4": .rolledBack]),
    ])
    func theScopeSaysWhichHostsGoBack(scope: String, expected: [String: DeployReport.HostFinalState]) async throws {
        let sim = try SimulatedDeploy(hosts: 4)
        defer { sim.remove() }
        let fleet = sim.fleet(["h3": .unhealthy])
        let report = try await deploy(sim, fleet, playbook: sim.playbook(strategy: "{ rolling: { batch: 2 } }", scope: scope))
        #expect(report.outcome == .rolledBack)
        #expect(report.states == expected)
        for (name, state) in expected {
            #expect(fleet.disks[name]!.snapshot.current?.description == (state == .rolledBack ? SimulatedDeploy.old : report.release), "\(name)")
        }
    }

    /// A failure whose trigger the policy does not list is not rolled back: partial, and the host
    /// keeps serving the new release, failed.
    @Test func aFailureThePolicyDoesNotTriggerOnIsLeftAsItIs() async throws {
        let sim = try SimulatedDeploy(hosts: 2)
        defer { sim.remove() }
        let fleet = sim.fleet(["h1": .afterSwitchFails])
        let report = try await deploy(sim, fleet, playbook: sim.playbook(strategy: Self.rolling, triggers: "[health]",
                                                                           hooks: "  activate: ./bin/restart\n  after_switch: ./bin/warm"))
        #expect(report.outcome == .partial)
        #expect(report.reason?.contains("the policy does not roll back these failures") == true)
        #expect(report.states == ["h1": .failed, "h2": .unchanged])
        #expect(fleet.disks["h1"]!.snapshot.current?.description == report.release)
    }

    /// A switch whose answer was lost may have happened: with scope all it is rolled back too,
    /// and since its connection is gone that rollback cannot finish: not converged, never promoted.
    @Test func aLostSwitchAnswerIsNeverCountedAsUnchanged() async throws {
        let sim = try SimulatedDeploy(hosts: 2)
        defer { sim.remove() }
        let fleet = sim.fleet(["h1": .switchAnswerLost])
        let report = try await deploy(sim, fleet, playbook: sim.playbook(strategy: Self.rolling))
        #expect(report.outcome == .notConverged)
        #expect(report.states["h1"] == .unreachable)
        #expect(report.states["h2"] == .unchanged)
        #expect(fleet.disks["h1"]!.snapshot.lease != nil, "a host cut off keeps the lease for `cutover resume`")
    }

    /// A switch whose command timed out (it ran; its answer is lost, the connection stays): scope
    /// all rolls it back to what `current` was before the run, never further.
    @Test func aTimedOutSwitchGoesBackToWhatTheHostHadBefore() async throws {
        let sim = try SimulatedDeploy(hosts: 2)
        defer { sim.remove() }
        let fleet = sim.fleet(["h1": .switchTimedOut])
        let report = try await deploy(sim, fleet, playbook: sim.playbook(strategy: Self.rolling))
        #expect(report.outcome == .rolledBack)
        #expect(report.states == ["h1": .rolledBack, "h2": .unchanged])
        #expect(fleet.disks["h1"]!.snapshot.current?.description == SimulatedDeploy.old)
        #expect(fleet.disks["h1"]!.snapshot.lease == nil)
    }

    /// A host that fails before its switch (the upload broke) within budget: the others go on.
    @Test func aHostLostBeforeItsSwitchStaysOnWhatItHad() async throws {
        let sim = try SimulatedDeploy(hosts: 3)
        defer { sim.remove() }
        let fleet = sim.fleet(["h2": .uploadFails])
        let report = try await deploy(sim, fleet, playbook: sim.playbook(strategy: Self.rolling, maxFailures: "1"))
        #expect(report.outcome == .partial)
        #expect(report.states == ["h1": .promoted, "h2": .unreachable, "h3": .promoted])
        #expect(fleet.disks["h2"]!.snapshot.current?.description == SimulatedDeploy.old)
    }

    /// Over the budget before any switch: nothing is switched anywhere.
    @Test func failuresBeforeSwitchingBeyondTheBudgetSwitchNothing() async throws {
        let sim = try SimulatedDeploy(hosts: 3)
        defer { sim.remove() }
        let fleet = sim.fleet(["h3": .extractFails])
        let report = try await deploy(sim, fleet, playbook: sim.playbook(strategy: Self.rolling))
        #expect(report.outcome == .notSwitched)
        for name in sim.names { #expect(fleet.disks[name]!.snapshot.current?.description == SimulatedDeploy.old) }
    }

    /// A first deploy has nowhere to go back to: the summary says so and names the host.
    @Test func aFirstDeployThatFailsHasNoEarlierReleaseToGoBackTo() async throws {
        let sim = try SimulatedDeploy(hosts: 2)
        defer { sim.remove() }
        let fleet = SimulatedFleet(disks: ["h1": SimulatedDisk(), "h2": SimulatedDisk()],
                                   behaviours: ["h1": SimulatedBehaviour(fault: .unhealthy)])
        let report = try await deploy(sim, fleet, playbook: sim.playbook(strategy: Self.rolling))
        #expect(report.outcome == .notConverged)
        #expect(report.withoutEarlierRelease == ["h1"])
        #expect(report.states["h1"] == .rollbackFailed)
    }

    /// `cutover abort` during the second wave: every host this deploy switched goes back.
    @Test func anAbortRollsBackEveryHostTheDeploySwitched() async throws {
        let sim = try SimulatedDeploy(hosts: 3)
        defer { sim.remove() }
        let fleet = sim.fleet()
        let stop = StopRequest()
        let report = try await deploy(sim, fleet, playbook: sim.playbook(strategy: Self.rolling), stop: stop) { event in
            if case .waveStarted(let index, _, _) = event, index == 2 { stop.abort(by: "ops") }
        }
        #expect(report.outcome == .rolledBack)
        #expect(report.reason?.contains("aborted by ops") == true)
        for name in sim.names { #expect(fleet.disks[name]!.snapshot.current?.description == SimulatedDeploy.old, "\(name)") }
    }

    /// A graceful stop between waves, then `resume` with the same deploy id: the verified wave is
    /// adopted, not run again, and the rest is deployed.
    @Test func aResumedDeploySkipsTheWaveItVerifiedBeforeStopping() async throws {
        let sim = try SimulatedDeploy(hosts: 2)
        defer { sim.remove() }
        let fleet = sim.fleet()
        let stop = StopRequest()
        let playbook = try sim.playbook(strategy: Self.rolling)
        let artifact = try await sim.artifact(version: "2.0.0")
        // Ctrl-C while the first wave runs: the deploy stops before the second.
        let first = try await deploy(sim, fleet, playbook: playbook, artifact: artifact, stop: stop) { event in
            if case .step("h1", .switch, .ok, _) = event { stop.request() }
        }
        #expect(first.outcome == .interrupted)
        #expect(fleet.disks["h1"]!.snapshot.current?.description == first.release)
        #expect(fleet.disks["h2"]!.snapshot.current?.description == SimulatedDeploy.old)

        var request = sim.request(playbook, artifact: artifact)
        request.resumeDeployID = first.deployID
        request.resumeRelease = first.release
        request.resuming = true
        let skipped = Mutex<[String]>([])
        let second = try await Deployment(request).simulate(fleet, events: { event in
            if case .step(let host, .switch, .skipped, _) = event { skipped.withLock { $0.append(host) } }
        })
        #expect(second.outcome == .promoted)
        #expect(second.reason?.contains("wave 1 passed every gate") == true)
        #expect(skipped.withLock { $0 } == ["h1"])
        #expect(fleet.disks["h2"]!.snapshot.current?.description == first.release)
    }

    /// A manual pause answered `abort` rolls the canary back; `promote` lets the deploy finish.
    @Test(arguments: PauseAction.allCases)
    func aPausedDeployDoesWhatTheAnswerSays(action: PauseAction) async throws {
        let sim = try SimulatedDeploy(hosts: 3)
        defer { sim.remove() }
        let fleet = sim.fleet()
        let deployID = Mutex<String?>(nil)
        let strategy = "{ canary: { steps: [ { hosts: 1, pause: manual, pause_timeout: 60s, on_timeout: abort }, { percent: 100 } ] } }"
        #expect(!fleet.disks["h1"]!.answer(.abort, deploy: "d-any", by: "early"), "no answer without a paused deploy")
        let report = try await deploy(sim, fleet, playbook: sim.playbook(strategy: strategy)) { event in
            if case .planned(let plan) = event { deployID.withLock { $0 = plan.deployID } }
            if case .paused = event, let id = deployID.withLock({ $0 }) { fleet.disks["h1"]!.answer(action, deploy: id, by: "ops") }
        }
        if action == .promote {
            #expect(report.outcome == .promoted)
            for name in sim.names { #expect(fleet.disks[name]!.snapshot.current?.description == report.release) }
        } else {
            #expect(report.outcome == .rolledBack)
            #expect(report.reason?.contains("aborted by ops") == true)
            for name in sim.names { #expect(fleet.disks[name]!.snapshot.current?.description == SimulatedDeploy.old) }
        }
    }

    /// The plan a confirmation showed is the one that runs: an artifact rebuilt after it was
    /// inspected is refused before any host is touched.
    @Test func anArtifactRebuiltAfterThePlanIsRefused() async throws {
        let sim = try SimulatedDeploy(hosts: 2)
        defer { sim.remove() }
        let fleet = sim.fleet()
        let artifact = try await sim.artifact(version: "2.0.0")
        let deployment = Deployment(sim.request(try sim.playbook(strategy: Self.rolling), artifact: artifact))
        _ = try await deployment.plan()
        try await Task.sleep(for: .milliseconds(20))
        _ = try await sim.artifact(version: "2.0.0")  // the pipeline rebuilds it in place
        await #expect(throws: RolloutError.self) { try await deployment.simulate(fleet, events: { _ in }) }
        for name in sim.names { #expect(fleet.disks[name]!.snapshot.current?.description == SimulatedDeploy.old) }
        #expect(fleet.disks["h1"]!.snapshot.lease == nil, "no host was touched")
    }

    /// Another run's lease on the first host: nobody is touched.
    @Test func aHeldLeaseStopsTheDeployBeforeAnythingChanges() async throws {
        let sim = try SimulatedDeploy(hosts: 3)
        defer { sim.remove() }
        let fleet = sim.fleet()
        fleet.disks["h1"]!.holdLease(token: 7, deploy: "d-other")
        let report = try await deploy(sim, fleet, playbook: sim.playbook(strategy: Self.rolling))
        #expect(report.outcome == .lockHeld)
        #expect(report.hosts.first { $0.host == "h1" }?.cause == .lockedBy("deploy d-other"))
        for name in sim.names { #expect(fleet.disks[name]!.snapshot.current?.description == SimulatedDeploy.old) }
        #expect(fleet.disks["h1"]!.snapshot.lease?.deploy == "d-other", "another run's lease is left alone")
        #expect(fleet.disks["h2"]!.snapshot.lease == nil)
    }

    /// Another run takes a host's lease in the middle of the deploy (an operator's `unlock
    /// --force`, then a deploy of their own): every later step there is fenced off and nothing is
    /// written on that host. The deploy rolls back what it switched; the fenced host, whose
    /// switch failed, counts as unsure and cannot be verified (its rollback is fenced off too):
    /// not converged, never promoted.
    @Test func aLeaseTakenOverMidDeployFencesOffThatHost() async throws {
        let sim = try SimulatedDeploy(hosts: 2)
        defer { sim.remove() }
        let fleet = sim.fleet()
        let report = try await deploy(sim, fleet, playbook: sim.playbook(strategy: Self.rolling)) { event in
            if case .waveStarted(2, _, _) = event { fleet.disks["h2"]!.holdLease(token: 99, deploy: "d-other") }
        }
        #expect(report.outcome == .notConverged)
        #expect(report.states == ["h1": .rolledBack, "h2": .rollbackFailed])
        #expect(report.hosts.first { $0.host == "h2" }?.detail?.contains("lease lost") == true)
        #expect(fleet.disks["h2"]!.snapshot.current?.description == SimulatedDeploy.old)
        #expect(fleet.disks["h2"]!.snapshot.lease?.deploy == "d-other", "the other run's lease is left alone")
        #expect(fleet.disks["h1"]!.snapshot.current?.description == SimulatedDeploy.old)
    }

    /// A canary whose KPI is far worse than the baseline's is judged failed and rolled back.
    @Test func aCanaryJudgedWorseThanItsBaselineIsRolledBack() async throws {
        let sim = try SimulatedDeploy(hosts: 4)
        defer { sim.remove() }
        let fleet = sim.fleet(kpi: ["h1": 50])
        let strategy = "{ canary: { steps: [ { hosts: 1, bake: 3s }, { percent: 100 } ] } }"
        let playbook = try sim.playbook(strategy: strategy, extra: """
        kpis:
          errors:
            command: cat errors
            interval: 300ms
            max: 5
            direction: increase
            critical: true
        """)
        let report = try await deploy(sim, fleet, playbook: playbook)
        #expect(report.outcome == .rolledBack)
        #expect(report.states["h1"] == .rolledBack)
        #expect(fleet.disks["h1"]!.snapshot.current?.description == SimulatedDeploy.old)
    }
}
