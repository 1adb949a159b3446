import Foundation
import TestSupport

/// The cells of the matrix. Targets: `h15` (second wave) for the deploy phases, `h1` (a
/// canary) for the bake, `h5` (first wave, switched and then rolled back when `v2bad` fails
/// on h12-h14) for the rollback.
enum FaultCells {
    static let holdSeconds = 2

    /// Where a phase is reached, on which host, with which playbook and release.
    struct Setting: Sendable {
        let target: String
        let playbook: FaultLab.PlaybookKind
        let release: @Sendable (FaultLab) -> FaultLab.Release
    }

    static func setting(for phase: Phase) -> Setting {
        switch phase {
        case .upload: return Setting(target: "h15", playbook: .rolling, release: { $0.v2big })
        case .extract, .switch, .activate, .health: return Setting(target: "h15", playbook: .rolling, release: { $0.v2 })
        case .bake: return Setting(target: "h1", playbook: .canary, release: { $0.v2 })
        case .rollback: return Setting(target: "h5", playbook: .rolling, release: { $0.v2bad })
        }
    }

    /// Holds the target at the phase and starts the deploy; returns once the target is there.
    static func deployHeld(_ lab: FaultLab, _ phase: Phase, seconds: Int = holdSeconds) async throws -> (CutoverRun, Setting, reached: Bool) {
        let setting = setting(for: phase)
        if phase == .upload || phase == .extract { try await lab.holdInTools(on: setting.target) }
        try lab.hold(setting.target, at: phase, seconds: seconds)
        let run = try lab.cutover(["deploy", lab.playbook(setting.playbook), "--artifact", setting.release(lab).artifact])
        let reached = await lab.waitUntil(setting.target, reaches: phase)
        return (run, setting, reached)
    }

    /// Stops holding anywhere (a held hook still sleeps its time out).
    static func release(_ lab: FaultLab) {
        for member in lab.fleet.members {
            for phase in Phase.allCases { try? FileManager.default.removeItem(atPath: member.srv + "/.hold-\(phase.rawValue)") }
        }
    }

    static var all: [FaultCell] {
        network + hostFaults + orchestrator + races
    }

    // MARK: Network

    static var network: [FaultCell] {
        [
            FaultCell(fault: "host unreachable from the start", phase: "connect", expected: ["2"]) { lab in
                try await lab.fleet.stopHost("h15")
                let result = await (try lab.cutover(["deploy", lab.playbook(.rolling), "--artifact", lab.v2.artifact])).finish()
                return Injected(result: result, faulted: ["h15"], release: lab.v2)
            },
            FaultCell(fault: "network cut mid-transfer", phase: Phase.upload.rawValue, expected: ["2"]) { lab in
                let (run, setting, reached) = try await deployHeld(lab, .upload)
                let member = lab.fleet.member(setting.target)
                let cut = try await NetworkFault.install(dropRules(member))
                let result = await run.finish()
                await cut.remove()
                return Injected(result: reached ? result : result, faulted: [setting.target], release: setting.release(lab))
            },
            FaultCell(fault: "network cut", phase: Phase.activate.rawValue, expected: ["2", "4"]) { lab in
                let (run, setting, _) = try await deployHeld(lab, .activate)
                let cut = try await NetworkFault.install(dropRules(lab.fleet.member(setting.target)))
                release(lab)
                let result = await run.finish()
                await cut.remove()
                return Injected(result: result, faulted: [setting.target], release: setting.release(lab))
            },
            FaultCell(fault: "500 ms latency on h3, h13 (proxy)", phase: "every", expected: ["0"]) { lab in
                let slow = ["h3", "h13"]
                let proxies = try slow.map { name in
                    let member = lab.fleet.member(name)
                    return try DelayProxy(address: member.address, port: member.port + 1, target: (member.address, member.port), delay: .milliseconds(250))
                }
                let inventory = try lab.inventory(proxying: proxies)
                let result = await (try lab.cutover(["deploy", lab.playbook(.rolling), "--artifact", lab.v2big.artifact], inventory: inventory)).finish()
                for proxy in proxies { proxy.stop() }
                return Injected(result: result, faulted: slow, release: lab.v2big)
            },
            // Connects are retried, so a lossy host is not lost; but a health check that gets no
            // answer within its 4 s (TCP backing off on a 30% loss link) fails, and the host goes
            // back within the budget: 2 is the safe answer then, never a host left between.
            FaultCell(fault: "30% packet loss on h4, h14", phase: "every", expected: ["0", "2"]) { lab in
                let lossy = ["h4", "h14"]
                let rules = lossy.flatMap { name -> [String] in
                    let member = lab.fleet.member(name)
                    return ["ip daddr \(member.address) tcp dport \(member.port) numgen random mod 100 < 30 drop",
                            "ip saddr \(member.address) tcp sport \(member.port) numgen random mod 100 < 30 drop"]
                }
                let result = try await NetworkFault.with(rules) {
                    await (try lab.cutover(["deploy", lab.playbook(.rolling), "--artifact", lab.v2big.artifact])).finish()
                }
                return Injected(result: result, faulted: lossy, release: lab.v2big)
            },
        ]
    }

    static func dropRules(_ member: TestFleet.Member) -> [String] {
        ["ip daddr \(member.address) tcp dport \(member.port) drop", "ip saddr \(member.address) tcp sport \(member.port) drop"]
    }

    // MARK: Hosts

    static var hostFaults: [FaultCell] {
        var cells = Phase.allCases.map { phase in
            FaultCell(fault: "host crashed (sshd and sessions killed)", phase: phase.rawValue, expected: ["2", "4"]) { lab in
                let (run, setting, _) = try await deployHeld(lab, phase)
                try await lab.fleet.crashHost(setting.target)
                let result = await run.finish()
                return Injected(result: result, faulted: [setting.target], release: setting.release(lab))
            }
        }
        cells += [
            FaultCell(fault: "host rebooted between phases", phase: "push → switch", expected: ["0", "2"]) { lab in
                // h15 reboots while wave 1 activates: its connection from the push is gone when wave 2 starts.
                try lab.hold("h1", at: .activate, seconds: holdSeconds)
                let run = try lab.cutover(["deploy", lab.playbook(.rolling), "--artifact", lab.v2.artifact])
                _ = await lab.waitUntil("h1", reaches: .activate)
                try await lab.fleet.crashHost("h15")
                try await lab.fleet.startHost("h15")
                let result = await run.finish()
                return Injected(result: result, faulted: ["h15"], release: lab.v2)
            },
            FaultCell(fault: "disk full (1 MiB tmpfs)", phase: Phase.upload.rawValue, expected: ["2"]) { lab in
                let mounted = try await lab.fleet.inNamespace(of: "h15", ["mount", "-t", "tmpfs", "-o", "size=1m,mode=0777", "tmpfs", "/srv/web/.cutover/incoming"])
                guard mounted.status == 0 else { throw TestSupportError(mounted.output) }
                let result = await (try lab.cutover(["deploy", lab.playbook(.rolling), "--artifact", lab.v2big.artifact])).finish()
                return Injected(result: result, faulted: ["h15"], release: lab.v2big)
            },
            FaultCell(fault: "read-only deploy root", phase: "lease", expected: ["2"]) { lab in
                try await lab.makeReadOnly("h15")
                let result = await (try lab.cutover(["deploy", lab.playbook(.rolling), "--artifact", lab.v2.artifact])).finish()
                return Injected(result: result, faulted: ["h15"], release: lab.v2)
            },
            FaultCell(fault: "missing tar", phase: "connect", expected: ["2"]) { lab in
                try await lab.removeTar(on: "h15")
                let result = await (try lab.cutover(["deploy", lab.playbook(.rolling), "--artifact", lab.v2.artifact])).finish()
                return Injected(result: result, faulted: ["h15"], release: lab.v2)
            },
            FaultCell(fault: "activate hook hangs forever", phase: Phase.activate.rawValue, expected: ["2"]) { lab in
                try lab.hold("h15", at: .activate, seconds: 100_000)
                let run = try lab.cutover(["deploy", lab.playbook(.rolling), "--artifact", lab.v2.artifact])
                _ = await lab.waitUntil("h15", reaches: .activate)
                release(lab)
                let result = await run.finish()
                return Injected(result: result, faulted: ["h15"], release: lab.v2)
            },
            FaultCell(fault: "health check hangs forever", phase: Phase.health.rawValue, expected: ["2"]) { lab in
                try lab.hold("h15", at: .health, seconds: 100_000)
                let run = try lab.cutover(["deploy", lab.playbook(.rolling), "--artifact", lab.v2.artifact])
                _ = await lab.waitUntil("h15", reaches: .health)
                let result = await run.finish()
                return Injected(result: result, faulted: ["h15"], release: lab.v2)
            },
            FaultCell(fault: "rollback fails on one host", phase: Phase.rollback.rawValue, expected: ["4"]) { lab in
                try "".write(toFile: lab.fleet.member("h5").srv + "/.fail-rollback", atomically: true, encoding: .utf8)
                let result = await (try lab.cutover(["deploy", lab.playbook(.rolling), "--artifact", lab.v2bad.artifact])).finish()
                try? FileManager.default.removeItem(atPath: lab.fleet.member("h5").srv + "/.fail-rollback")
                return Injected(result: result, faulted: ["h5"], release: lab.v2bad)
            },
        ]
        return cells
    }

    // MARK: The orchestrator

    static var orchestrator: [FaultCell] {
        let signals: [(name: String, expected: String, send: @Sendable (CutoverRun) async -> Void)] = [
            ("orchestrator SIGKILL", "SIGKILL", { $0.signal(SIGKILL) }),
            ("orchestrator SIGINT once", "130", { $0.signal(SIGINT) }),
            ("orchestrator SIGINT twice", "130", { run in
                run.signal(SIGINT)
                try? await Task.sleep(for: .milliseconds(300))
                run.signal(SIGINT)
            }),
        ]
        return signals.flatMap { signal in
            Phase.allCases.map { phase in
                FaultCell(fault: signal.name, phase: phase.rawValue,
                          expected: phase == .rollback && signal.expected == "130" ? ["3", "4", "130"] : [signal.expected]) { lab in
                    let (run, setting, _) = try await deployHeld(lab, phase)
                    await signal.send(run)
                    let result = await run.finish(within: .seconds(60))
                    return Injected(result: result, faulted: [], release: setting.release(lab))
                }
            }
        }
    }

    // MARK: Races

    static var races: [FaultCell] {
        [
            FaultCell(fault: "two orchestrators racing", phase: "start", expected: ["0"]) { lab in
                let first = try lab.cutover(["deploy", lab.playbook(.rolling), "--artifact", lab.v2.artifact])
                let second = try lab.cutover(["deploy", lab.playbook(.rolling), "--artifact", lab.v2.artifact])
                let a = await first.finish(), b = await second.finish()
                return Injected(result: a.exit == 0 ? a : b, faulted: [], release: lab.v2, other: a.exit == 0 ? b : a)
            },
            FaultCell(fault: "second orchestrator while the first activates", phase: Phase.activate.rawValue, expected: ["0"]) { lab in
                let (run, setting, _) = try await deployHeld(lab, .activate)
                let second = await (try lab.cutover(["deploy", lab.playbook(.rolling), "--artifact", lab.v2.artifact])).finish()
                let result = await run.finish()
                return Injected(result: result, faulted: [], release: setting.release(lab), other: second)
            },
        ]
    }
}
