import Release
import Foundation
@_spi(Simulation) import Rollout
import TestSupport

/// A deploy against simulated hosts (``SimulatedFleet``): real inventory, playbook, policy and
/// artifact files, the real engine, hosts in memory. For the engine's decisions.
struct SimulatedDeploy {
    static let old = "1.0.0-aaaaaaaaaaaa"
    static let oldID = tableReleaseID(old)
    let directory: String
    let names: [String]

    /// `hosts` named h1…hN, in the inventory in that order.
    init(hosts: Int) throws {
        directory = NSTemporaryDirectory() + "cutover-sim-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        names = (1...hosts).map { "h\($0)" }
        let inventory = "hosts:\n" + names.enumerated().map { "  \($1): { address: 127.0.9.\($0 + 1), port: 9 }" }.joined(separator: "\n") + "\n"
        try inventory.write(toFile: directory + "/inventory.yml", atomically: true, encoding: .utf8)
    }

    /// A small real artifact: `web-VERSION.tar.gz`.
    func artifact(version: String) async throws -> String {
        let app = directory + "/app-\(version)"
        try FileManager.default.createDirectory(atPath: app, withIntermediateDirectories: true)
        try "\(version)\n".write(toFile: app + "/VERSION", atomically: true, encoding: .utf8)
        let path = directory + "/web-\(version).tar.gz"
        let result = try await Shell.runDetached(["tar", "-czf", path, "-C", app, "."])
        guard result.status == 0 else { throw TestSupportError(result.output) }
        return path
    }

    /// A playbook with one command health check; the policy's triggers and scope as given.
    func playbook(strategy: String, maxFailures: String = "0", scope: String = "all",
                  triggers: String = "[health, hook, smoke, kpi]", hooks: String = "  activate: ./bin/restart",
                  extra: String = "") throws -> String {
        let policy = directory + "/policy.yml"
        try "triggers: \(triggers)\nscope: \(scope)\n".write(toFile: policy, atomically: true, encoding: .utf8)
        let text = """
        app: web
        deploy_root: /srv/web
        keep_releases: 3
        strategy: \(strategy)
        max_failures: \(maxFailures)
        hooks:
        \(hooks)
        health:
          - command: ./bin/health
        rollback: \(policy)
        \(extra)
        """
        let path = directory + "/web.yml"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func request(_ playbook: String, artifact: String) -> DeployRequest {
        DeployRequest(connection: ConnectionSettings(inventoryPath: directory + "/inventory.yml", sshConfigPath: "none"),
                      playbook: playbook, artifact: artifact)
    }

    /// Every host running the old release, with the given faults.
    func fleet(_ faults: [String: SimulatedFault] = [:], kpi: [String: Double] = [:]) -> SimulatedFleet {
        SimulatedFleet(
            disks: Dictionary(uniqueKeysWithValues: names.map { ($0, SimulatedDisk(running: Self.oldID)) }),
            behaviours: Dictionary(uniqueKeysWithValues: names.map {
                ($0, SimulatedBehaviour(fault: faults[$0], canaryKPI: kpi[$0] ?? 1, baselineKPI: 1))
            }))
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: directory)
    }
}

extension DeployReport {
    /// Each host's final state, by name.
    var states: [String: DeployReport.HostFinalState] {
        Dictionary(uniqueKeysWithValues: hosts.map { ($0.host, $0.state) })
    }
}
