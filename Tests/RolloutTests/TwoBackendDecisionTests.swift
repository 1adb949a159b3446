import Release
import Foundation
@_spi(Simulation) import Rollout
import Testing
import TestSupport

/// The same scenarios on both kinds of host: the engine against ``SimulatedHost`` and against
/// real sshd hosts running a real app, with one table of expected outcomes. A simulation that
/// drifts from what the scripts really do fails here.
@Suite("The same decisions on simulated and real hosts", .timeLimit(.minutes(4)))
struct TwoBackendDecisionTests {
    enum Backend: String, CaseIterable, Sendable { case simulated, sshd }

    /// What a deploy ended with: its outcome, each host's final state and its `current`
    /// (`old`, `new` or something else).
    struct Ending: Equatable, CustomStringConvertible {
        var outcome: DeployOutcome
        var states: [String: DeployReport.HostFinalState]
        var currents: [String: String]
        var description: String { "\(outcome.rawValue) \(states.sorted { $0.key < $1.key }) \(currents.sorted { $0.key < $1.key })" }
    }

    /// 4 hosts on 1.0.0, then 2.0.0 (rolling, 2 hosts a wave, budget 0) whose health check fails
    /// on h3 only: the scope decides which hosts go back.
    static let scopes: [(String, Ending)] = [
        ("host", Ending(outcome: .rolledBack, states: ["h1": .promoted, "h2": .promoted, "h3": .rolledBack, "h4": .promoted],
                        currents: ["h1": "new", "h2": "new", "h3": "old", "h4": "new"])),
        ("wave", Ending(outcome: .rolledBack, states: ["h1": .promoted, "h2": .promoted, "h3": .rolledBack, "h4": .rolledBack],
                        currents: ["h1": "new", "h2": "new", "h3": "old", "h4": "old"])),
        ("all", Ending(outcome: .rolledBack, states: ["h1": .rolledBack, "h2": .rolledBack, "h3": .rolledBack, "h4": .rolledBack],
                       currents: ["h1": "old", "h2": "old", "h3": "old", "h4": "old"])),
    ]

    @Test(arguments: Backend.allCases, scopes)
    func theScopeSaysWhichHostsGoBack(backend: Backend, scenario: (scope: String, expected: Ending)) async throws {
        let strategy = "{ rolling: { batch: 2 } }"
        let ending: Ending
        switch backend {
        case .simulated:
            let sim = try SimulatedDeploy(hosts: 4)
            defer { sim.remove() }
            let fleet = sim.fleet(["h3": .unhealthy])
            let artifact = try await sim.artifact(version: "2.0.0")
            let report = try await Deployment(sim.request(try sim.playbook(strategy: strategy, scope: scenario.scope), artifact: artifact))
                .simulate(fleet, events: { _ in })
            ending = Self.ending(report, old: SimulatedDeploy.old) { fleet.disks[$0]?.snapshot.current?.description }
        case .sshd:
            ending = try await TestFleet.with(hosts: 4) { fleet in
                let fixture = try DeployFixture(fleet: fleet)
                let first = try await Deployment(fixture.request(try fixture.playbook(strategy: "all-at-once"),
                                                                 artifact: try await fixture.artifact(version: "1.0.0"))).run(events: { _ in })
                #expect(first.outcome == .promoted)
                let playbook = try fixture.playbook(strategy: strategy, scope: scenario.scope)
                let bad = try await fixture.artifact(version: "2.0.0", healthy: false, failingHosts: ["h3"])
                let report = try await Deployment(fixture.request(playbook, artifact: bad)).run(events: { _ in })
                return Self.ending(report, old: first.release ?? "") { fixture.current($0) }
            }
        }
        #expect(ending == scenario.expected, "\(backend.rawValue), scope \(scenario.scope)")
    }

    static func ending(_ report: DeployReport, old: String, current: (String) -> String?) -> Ending {
        var currents: [String: String] = [:]
        for host in report.hosts {
            let now = current(host.host)
            currents[host.host] = now == old ? "old" : now == report.release ? "new" : (now ?? "none")
        }
        return Ending(outcome: report.outcome, states: report.states, currents: currents)
    }
}
