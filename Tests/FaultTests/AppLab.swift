import Foundation
import TestSupport

/// The application fault matrix's fleet: real sshd hosts running the demo app
/// (Playbooks/demo-app) under one strategy at a time, a playbook per strategy, and the good
/// release (1.0.0) every cell starts from and must end on.
final class AppLab: Sendable {
    static let hostCount = 4

    let fleet: TestFleet
    let app: DemoApp
    let directory: String
    let strategy: AppStrategy
    /// The good release's id, as the hosts know it.
    let good: String

    private init(fleet: TestFleet, app: DemoApp, directory: String, strategy: AppStrategy, good: String) {
        self.fleet = fleet
        self.app = app
        self.directory = directory
        self.strategy = strategy
        self.good = good
    }

    var playbook: String { directory + "/web.yml" }

    /// Writes the strategy's playbook and deploys the good release everywhere.
    static func start(_ strategy: AppStrategy, on fleet: TestFleet) async throws -> AppLab {
        // The previous strategy's apps and deploy roots go: each strategy starts from nothing.
        try await fleet.reap()
        for member in fleet.members { try? FileManager.default.removeItem(atPath: member.srv + "/web") }
        let app = try DemoApp(fleet: fleet)
        let directory = fleet.directory + "/app-lab-" + strategy.slug
        try? FileManager.default.removeItem(atPath: directory)
        try FileManager.default.createDirectory(atPath: directory + "/state", withIntermediateDirectories: true)
        try strategy.playbook.write(toFile: directory + "/web.yml", atomically: true, encoding: .utf8)
        let artifact = try await app.artifact(version: "1.0.0", name: "1.0.0-" + strategy.slug)
        let run = try CutoverRun(["deploy", directory + "/web.yml", "--artifact", artifact, "--version", "1.0.0"] + common(fleet), directory: directory)
        let result = await run.finish()
        guard result.exit == 0, let plan = result.events.first(where: { $0["event"] as? String == "plan" }),
              let release = plan["release"] as? String
        else { throw TestSupportError("setup deploy of 1.0.0 (\(strategy.rawValue)) failed: \(result.stderr.suffix(2000))") }
        return AppLab(fleet: fleet, app: app, directory: directory, strategy: strategy, good: release)
    }

    static func common(_ fleet: TestFleet) -> [String] {
        ["-i", fleet.inventoryPath, "--ssh-config", "none", "--output", "json"]
    }

    /// `cutover ARGS` against the fleet, JSON events on stdout.
    func cutover(_ arguments: [String]) throws -> CutoverRun {
        try CutoverRun(arguments + Self.common(fleet), directory: directory)
    }

    /// The port serving a host's traffic: the live slot's (as `bin/switch-port` recorded it), else 8080.
    func livePort(_ member: TestFleet.Member) -> Int {
        let text = (try? String(contentsOfFile: member.srv + "/web/live-port", encoding: .utf8)) ?? ""
        return Int(text.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 8080
    }

    /// Blue/green: the port of the slot not serving traffic.
    func idlePort(_ member: TestFleet.Member) -> Int {
        livePort(member) == 8001 ? 8002 : 8001
    }

    /// Stops the app a host runs on `port` (by the pid its `bin/start` recorded), if any.
    func stopApp(_ member: TestFleet.Member, slotPort port: Int) {
        let name = port == 8001 ? "app-blue" : port == 8002 ? "app-green" : "app"
        guard let text = try? String(contentsOfFile: member.srv + "/web/run/\(name).pid", encoding: .utf8),
              let pid = pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines)), pid > 1 else { return }
        kill(pid, SIGKILL)
        for _ in 0..<50 where kill(pid, 0) == 0 { usleep(20_000) }
    }

    /// What each host runs after a cell, read with the real tools: the release `cutover status`
    /// says serves traffic, and what the app on the live port answers at /health.
    func aftermath() async throws -> [String: (release: String?, health: String)] {
        let status = await (try cutover(["status", playbook])).finish()
        var serving: [String: String?] = [:]
        for object in status.events where object["host"] is String {
            let host = object["host"] as? String ?? ""
            if let live = object["live_slot"] as? String, let slots = object["slots"] as? [String: String] {
                serving[host] = slots[live]
            } else {
                serving[host] = object["current"] as? String
            }
        }
        var result: [String: (release: String?, health: String)] = [:]
        for member in fleet.members {
            let (code, body) = try await DemoApp.get("http://\(member.address):\(livePort(member))/health")
            result[member.name] = (serving[member.name] ?? nil, "\(code) \(body)")
        }
        return result
    }
}

/// The strategies of the application fault matrix, each with the playbook it deploys with.
enum AppStrategy: String, CaseIterable, Sendable {
    case rolling
    case allAtOnce = "all-at-once"
    case canary
    case blueGreen = "blue/green"

    var slug: String { rawValue.replacingOccurrences(of: "/", with: "-") }

    var isBlueGreen: Bool { self == .blueGreen }

    /// Rolling and all-at-once have no bake: their window is the `stable_for` hold, and the
    /// app's own error rate is one of their health checks. Canary and blue/green hold 3 s and
    /// judge the error rate as a critical KPI against a baseline during a 6 s bake.
    var playbook: String {
        let common = """
        app: web
        deploy_root: /srv/web
        keep_releases: 4
        max_failures: 0
        timeouts: { hook: 8s }
        rollback: standard

        """
        let kpis = """
        kpis:
          error_rate:
            command: "./bin/error-rate {{ address }}"
            interval: 500ms
            max: 5
            direction: increase
            critical: true
            no_data: fail

        """
        switch self {
        case .rolling, .allAtOnce:
            return common + """
            strategy: \(self == .rolling ? "{ rolling: { batch: 2 } }" : "all-at-once")
            stable_for: 8s
            hooks: { activate: ./bin/start }
            health:
              - command: "./bin/check {{ address }}"
                retries: 2
                interval: 300ms
              - command: "./bin/error-rate {{ address }} 5"

            """
        case .canary:
            return common + kpis + """
            strategy: { canary: { steps: [ { hosts: 1, bake: 6s }, { percent: 100 } ] } }
            stable_for: 3s
            hooks: { activate: ./bin/start }
            health:
              - command: "./bin/check {{ address }}"
                retries: 2
                interval: 300ms

            """
        case .blueGreen:
            return common + kpis + """
            strategy: { blue-green: { batch: 50%, bake: 6s } }
            stable_for: 3s
            slots: { blue: { port: 8001 }, green: { port: 8002 } }
            hooks: { start: ./bin/start, switch: ./bin/switch-port }
            health:
              - command: "./bin/check {{ address }} {{ slot_port }}"
                retries: 2
                interval: 300ms

            """
        }
    }
}
