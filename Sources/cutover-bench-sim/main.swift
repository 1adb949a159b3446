// cutover-bench-sim: the deploy engine against N simulated hosts (no SSH), to show what the
// runner's own work costs per host as the fleet grows. One N per process (clean peak RSS):
//
//   cutover-bench-sim --hosts 10000 [--seed 1] [--latency-ms 1-5] [--fault-rate 0.01] [--parallel 200]
//                     [--faults unreachable,uploadFails,unhealthy,smokeFails]
//
// Writes an inventory of N hosts, a playbook (rolling in 4 waves, one command health check,
// max_failures 5%), a small artifact; runs the real `Deployment` with `SimulatedFleet` (each
// host's latency and fault drawn from the seed) and prints one line: hosts, outcome, wall
// time, the process's CPU time for the deploy (user+sys), CPU per host, peak RSS and events.
import Foundation
import Release
@_spi(Simulation) import Rollout
import Synchronization

struct Options {
    var hosts = 1000
    var seed: UInt64 = 1
    var latency: ClosedRange<Duration> = .milliseconds(1) ... .milliseconds(5)
    var faultRate = 0.01
    /// Faults a real fleet sees daily, each handled without ending the deploy when within the budget.
    var faults: [SimulatedFault] = [.unreachable, .uploadFails, .unhealthy, .smokeFails]
    var parallel = 200

    init(_ arguments: [String]) throws {
        var rest = arguments[...]
        while let flag = rest.popFirst() {
            guard let value = rest.popFirst() else { throw UsageError("\(flag) needs a value") }
            switch flag {
            case "--hosts": hosts = try Self.number(value, flag)
            case "--seed": seed = UInt64(try Self.number(value, flag))
            case "--parallel": parallel = try Self.number(value, flag)
            case "--faults":
                faults = try value.split(separator: ",").map { name in
                    guard let fault = SimulatedFault.allCases.first(where: { "\($0)" == name }) else {
                        throw UsageError("unknown fault \(name); one of \(SimulatedFault.allCases.map { "\($0)" }.joined(separator: ", "))")
                    }
                    return fault
                }
            case "--fault-rate":
                guard let rate = Double(value), (0...1).contains(rate) else { throw UsageError("--fault-rate takes 0…1") }
                faultRate = rate
            case "--latency-ms":
                let parts = value.split(separator: "-").compactMap { Int($0) }
                guard (1...2).contains(parts.count), parts[0] <= parts.last! else { throw UsageError("--latency-ms takes MS or LOW-HIGH") }
                latency = .milliseconds(parts[0]) ... .milliseconds(parts.last!)
            default: throw UsageError("unknown option \(flag)")
            }
        }
        guard hosts >= 1, hosts <= 60_000 else { throw UsageError("--hosts takes 1…60000") }
    }

    static func number(_ text: String, _ flag: String) throws -> Int {
        guard let value = Int(text), value >= 0 else { throw UsageError("\(flag) takes a whole number") }
        return value
    }
}

struct UsageError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// user + system CPU of this process so far, and its peak RSS in KiB.
func usage() -> (cpu: Duration, peakKiB: Int) {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    func duration(_ time: timeval) -> Duration { .seconds(Int64(time.tv_sec)) + .microseconds(Int64(time.tv_usec)) }
    return (duration(usage.ru_utime) + duration(usage.ru_stime), Int(usage.ru_maxrss))
}

func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}

func main() async -> Int32 {
    let options: Options
    do { options = try Options(Array(CommandLine.arguments.dropFirst())) } catch {
        FileHandle.standardError.write(Data("cutover-bench-sim: \(error)\n".utf8))
        return 64
    }
    let directory = NSTemporaryDirectory() + "cutover-bench-sim-\(getpid())"
    defer { try? FileManager.default.removeItem(atPath: directory) }
    do {
        try FileManager.default.createDirectory(atPath: directory + "/app", withIntermediateDirectories: true)
        let names = (0..<options.hosts).map { "sim\($0)" }
        var inventory = "hosts:\n"
        for (index, name) in names.enumerated() {
            inventory += "  \(name): { address: 127.\(1 + index / 65_536).\(index / 256 % 256).\(index % 256) }\n"
        }
        try inventory.write(toFile: directory + "/inventory.yml", atomically: true, encoding: .utf8)
        try """
        app: web
        deploy_root: /srv/web
        strategy: { rolling: { batch: 25% } }
        max_failures: 5%
        parallel: \(options.parallel)
        hooks: { activate: ./bin/restart }
        health: [ { command: ./bin/health } ]
        """.write(toFile: directory + "/web.yml", atomically: true, encoding: .utf8)
        try "2.0.0\n".write(toFile: directory + "/app/VERSION", atomically: true, encoding: .utf8)
        let tar = Process()
        tar.executableURL = URL(fileURLWithPath: "/bin/tar")
        tar.arguments = ["-czf", directory + "/web-2.0.0.tar.gz", "-C", directory + "/app", "."]
        try tar.run()
        tar.waitUntilExit()
        guard tar.terminationStatus == 0 else { throw UsageError("tar failed") }

        let fleet = SimulatedFleet(names: names, running: try ReleaseID(version: "1.0.0", sha256: "aaaaaaaaaaaa"), seed: options.seed,
                                   latency: options.latency, faultRate: options.faultRate, faults: options.faults)
        let request = DeployRequest(connection: ConnectionSettings(inventoryPath: directory + "/inventory.yml", sshConfigPath: "none"),
                                    playbook: directory + "/web.yml", artifact: directory + "/web-2.0.0.tar.gz")
        let events = Atomic<Int>(0)
        let before = usage(), start = ContinuousClock.now
        let report = try await Deployment(request).simulate(fleet, events: { _ in events.add(1, ordering: .relaxed) })
        let wall = ContinuousClock.now - start, after = usage()
        let cpu = after.cpu - before.cpu
        let promoted = report.hosts.filter { $0.state == .promoted }.count
        let line = String(format: "hosts %d  outcome %@  promoted %d  other %d  wall %.2f s  cpu %.3f s  cpu/host %.1f us  peak_rss %.1f MiB  events %d",
                          options.hosts, report.outcome.rawValue, promoted, options.hosts - promoted, seconds(wall), seconds(cpu),
                          seconds(cpu) / Double(options.hosts) * 1e6, Double(after.peakKiB) / 1024, events.load(ordering: .relaxed))
        print(line)
        return 0
    } catch {
        FileHandle.standardError.write(Data("cutover-bench-sim: \(error)\n".utf8))
        return 1
    }
}

exit(await main())
