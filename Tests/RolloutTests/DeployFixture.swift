import Foundation
import Rollout
import Synchronization
import TestSupport

/// A playbook and artifacts built for one test: a tiny app whose `bin/health` passes or fails
/// as its version says, and whose `bin/restart` records the running release in shared/.
struct DeployFixture {
    let fleet: TestFleet
    let directory: String

    init(fleet: TestFleet) throws {
        self.fleet = fleet
        directory = fleet.directory + "/deploy"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    /// Builds `web-VERSION.tar.gz`; `healthy: false` makes `bin/health` fail (on `failingHosts`, or everywhere);
    /// `builtAt` writes a `.cutover-build` stamp (the ledger's build time).
    func artifact(version: String, healthy: Bool = true, failingHosts: [String] = [], builtAt: String? = nil) async throws -> String {
        let app = directory + "/app-\(version)"
        try FileManager.default.createDirectory(atPath: app + "/bin", withIntermediateDirectories: true)
        try "#!/bin/sh\necho \"$CUTOVER_RELEASE\" > \"$CUTOVER_DEPLOY_ROOT/shared/running\"\n"
            .write(toFile: app + "/bin/restart", atomically: true, encoding: .utf8)
        let health: String
        if healthy {
            health = "#!/bin/sh\nexit 0\n"
        } else if failingHosts.isEmpty {
            health = "#!/bin/sh\necho unhealthy >&2\nexit 1\n"
        } else {
            health = "#!/bin/sh\ncase $(hostname) in \(failingHosts.joined(separator: "|"))) echo unhealthy >&2; exit 1;; esac\nexit 0\n"
        }
        try health.write(toFile: app + "/bin/health", atomically: true, encoding: .utf8)
        try "\(version)\n".write(toFile: app + "/VERSION", atomically: true, encoding: .utf8)
        if let builtAt { try "\(builtAt)\n".write(toFile: app + "/.cutover-build", atomically: true, encoding: .utf8) }
        let path = directory + "/web-\(version).tar.gz"
        let result = try await Shell.runDetached(["sh", "-c", "chmod +x '\(app)'/bin/* && tar -czf '\(path)' -C '\(app)' ."])
        guard result.status == 0 else { throw TestSupportError(result.output) }
        return path
    }

    /// An activate hook that touches `shared/activating`, then holds until `shared/go` exists
    /// (at most 30 s) before restarting: a test acts while hosts are in activate, however late a
    /// loaded machine wakes it, then lets them go with ``letGo()``.
    static let activateHoldingUntilGo =
        "touch ../../shared/activating; i=0; while [ ! -e ../../shared/go ] && [ $i -lt 300 ]; do sleep 0.1; i=$((i+1)); done; ./bin/restart"

    /// Lets hosts held by ``activateHoldingUntilGo`` go on (and any later activate pass at once).
    func letGo() throws {
        for member in fleet.members {
            try FileManager.default.createDirectory(atPath: member.srv + "/web/shared", withIntermediateDirectories: true)
            _ = FileManager.default.createFile(atPath: member.srv + "/web/shared/go", contents: nil)
        }
    }

    /// Writes a playbook; returns its path.
    /// `stableFor`: the hold after the health checks pass (`stable_for`); tests of other gates
    /// turn it off to stay quick, the stability tests set it.
    func playbook(strategy: String = "{ rolling: { batch: 50% } }", maxFailures: String = "0",
                  scope: String = "all", activate: String = "./bin/restart", stableFor: String = "0s", extra: String = "") throws -> String {
        let policy = directory + "/policy.yml"
        try "triggers: [health, hook, smoke, kpi]\nscope: \(scope)\nchecks:\n  - command: test -x bin/restart\n"
            .write(toFile: policy, atomically: true, encoding: .utf8)
        let text = """
        app: web
        deploy_root: /srv/web
        keep_releases: 3
        shared: [log]
        strategy: \(strategy)
        max_failures: \(maxFailures)
        stable_for: \(stableFor)
        hooks:
          activate: \(activate)
        health:
          - command: ./bin/health
            retries: 1
            interval: 100ms
          - tcp: "{{ address }}:\(fleet.members[0].port)"
        rollback: \(policy)
        \(extra)
        """
        let path = directory + "/web.yml"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func request(_ playbook: String, artifact: String, lockWait: Duration = .zero) -> DeployRequest {
        DeployRequest(connection: ConnectionSettings(inventoryPath: fleet.inventoryPath, sshConfigPath: "none"),
                      playbook: playbook, artifact: artifact, lockWait: lockWait)
    }

    /// The release `current` points at on a host, read from its own /srv.
    func current(_ host: String) -> String? {
        let link = fleet.member(host).srv + "/web/current"
        guard let target = try? FileManager.default.destinationOfSymbolicLink(atPath: link) else { return nil }
        return target.split(separator: "/").last.map(String.init)
    }

    /// What `bin/restart` recorded last on a host.
    func running(_ host: String) -> String? {
        (try? String(contentsOfFile: fleet.member(host).srv + "/web/shared/running", encoding: .utf8))?
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func journal(_ host: String) -> String {
        (try? String(contentsOfFile: fleet.member(host).srv + "/web/.cutover/journal", encoding: .utf8)) ?? ""
    }
}

/// Collects deploy events from any thread.
final class DeployEventLog: Sendable {
    private let events = Mutex([DeployEvent]())
    private let stamped = Mutex([(ContinuousClock.Instant, DeployEvent)]())

    var sink: DeployEventSink {
        { [self] event in
            events.withLock { $0.append(event) }
            stamped.withLock { $0.append((.now, event)) }
        }
    }

    /// When each `step` reached `state` on `host`, in arrival order.
    func times(_ host: String, _ step: DeployStep, _ state: StepState) -> [ContinuousClock.Instant] {
        stamped.withLock { list in
            list.compactMap {
                if case .step(let h, let s, let st, _) = $0.1, h == host, s == step, st == state { return $0.0 }
                return nil
            }
        }
    }

    /// Every KPI sample, in arrival order.
    var samples: [KPISample] {
        events.withLock { list in list.compactMap { if case .kpiSample(let sample) = $0 { return sample } else { return nil } } }
    }

    func steps(_ step: DeployStep, _ state: StepState) -> [String] {
        events.withLock { list in
            list.compactMap {
                if case .step(let host, let s, let st, _) = $0, s == step, st == state { return host }
                return nil
            }
        }
    }

    func details(_ step: DeployStep, _ state: StepState) -> [String] {
        events.withLock { list in
            list.compactMap {
                if case .step(_, let s, let st, let detail) = $0, s == step, st == state { return detail }
                return nil
            }
        }
    }

    var kpiSamples: Int {
        events.withLock { list in list.filter { if case .kpiSample = $0 { return true } else { return false } }.count }
    }

    var pausedWaves: [Int] {
        events.withLock { list in
            list.compactMap { if case .paused(let wave, _, _) = $0 { return wave } else { return nil } }
        }
    }

    var verdicts: [CanaryVerdictReport] {
        events.withLock { list in
            list.compactMap { if case .analysis(let report) = $0 { return report } else { return nil } }
        }
    }

    var rollbacks: [[String]] {
        events.withLock { list in
            list.compactMap { if case .rollbackStarted(_, let hosts) = $0 { return hosts } else { return nil } }
        }
    }
}
