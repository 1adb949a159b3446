import Foundation
import TestSupport

/// One application fault: how the bad release (2.0.0) is built (the demo app's `app.conf`
/// switches), what the test does to the hosts around the deploy, and what the run must end with.
struct AppFault: Sendable {
    let name: String
    /// `app.conf` lines of the bad release.
    let settings: [String]
    /// The exits allowed per strategy: 3 (rolled back) where the fault shows after the switch;
    /// blue/green may fail before moving any traffic, 7 (nothing switched).
    let exits: @Sendable (AppStrategy) -> Set<String>
    /// Words the run's reason must hold (one of them): the gate that caught the fault.
    let caughtBy: @Sendable (AppStrategy) -> [String]
    /// Done to the fleet before the deploy; returns what undoes it after.
    var prepare: @Sendable (AppLab) async throws -> (@Sendable () async -> Void) = { _ in {} }

    /// For file names: the settings' keys, lowercased.
    var slug: String { settings.map { $0.split(separator: "=").first.map { $0.lowercased() } ?? "" }.joined(separator: "-") }

    static let rolledBack: Set<String> = ["3"]

    static let all: [AppFault] = [
        AppFault(name: "exits 2 s after start", settings: ["EXIT_AFTER=2"],
                 exits: { $0.isBlueGreen ? ["3", "7"] : rolledBack }, caughtBy: { _ in ["health"] }),
        AppFault(name: "dies during the bake (6 s after start)", settings: ["EXIT_AFTER=6"],
                 exits: { _ in rolledBack }, caughtBy: { $0 == .rolling || $0 == .allAtOnce ? ["health"] : ["error_rate", "health"] }),
        AppFault(name: "health flaps (503 one second in three)", settings: ["FLAP=yes"],
                 exits: { $0.isBlueGreen ? ["3", "7"] : rolledBack }, caughtBy: { _ in ["health"] }),
        AppFault(name: "metrics endpoint disappears after 2 s", settings: ["METRICS_GONE_AFTER=2"],
                 exits: { _ in rolledBack }, caughtBy: { $0 == .rolling || $0 == .allAtOnce ? ["health"] : ["error_rate"] }),
        AppFault(name: "error rate rises to 60% 5 s after start", settings: ["ERRORS_AFTER=5", "ERROR_PERCENT=60"],
                 exits: { _ in rolledBack }, caughtBy: { $0 == .rolling || $0 == .allAtOnce ? ["health"] : ["error_rate"] }),
        AppFault(name: "slow start (30 s) beyond the health retries", settings: ["STARTING_FOR=30"],
                 exits: { $0.isBlueGreen ? ["7"] : rolledBack }, caughtBy: { _ in ["health"] }),
        AppFault(name: "start hook hangs (past its 8 s limit)", settings: ["HANG_START=30"],
                 exits: { $0.isBlueGreen ? ["7"] : rolledBack }, caughtBy: { _ in ["hook", "timed out"] }),
        AppFault(name: "port already taken", settings: ["PORT=8090"], exits: { $0.isBlueGreen ? ["7"] : rolledBack },
                 caughtBy: { _ in ["hook", "did not answer"] }, prepare: { lab in
                     // Another service holds the port the release listens on: 8090 (the port
                     // 2.0.0 moves to), for blue/green the idle slot's port.
                     var squatters: [Process] = []
                     for member in lab.fleet.members {
                         let port = lab.strategy.isBlueGreen ? lab.idlePort(member) : 8090
                         if lab.strategy.isBlueGreen { lab.stopApp(member, slotPort: port) }
                         squatters.append(try await Squatter.start(address: member.address, port: port, in: lab.directory))
                     }
                     let started = squatters
                     return { for squatter in started { Squatter.stop(squatter) } }
                 }),
    ]
}

/// A process that is not the app listening on a host's port: `python3 -m http.server`, which
/// answers 404 at /health and /metrics.
enum Squatter {
    static func start(address: String, port: Int, in directory: String) async throws -> Process {
        let empty = directory + "/squatter"
        try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: true)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-m", "http.server", "--bind", address, "--directory", empty, String(port)]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        for _ in 0..<100 {
            if try await TCPReady.check(address: address, port: port) { return process }
            try await Task.sleep(for: .milliseconds(50))
        }
        stop(process)
        throw TestSupportError("the squatter on \(address):\(port) did not listen")
    }

    /// By its pid, with SIGKILL (a child of the test process may inherit SIGTERM blocked).
    static func stop(_ process: Process) {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }
}

/// Whether something accepts TCP connections on `address:port`.
enum TCPReady {
    static func check(address: String, port: Int) async throws -> Bool {
        let result = try await Shell.runDetached(["python3", "-c",
            "import socket,sys; s=socket.socket(); s.settimeout(1); sys.exit(s.connect_ex((sys.argv[1], int(sys.argv[2]))))", address, String(port)])
        return result.status == 0
    }
}
