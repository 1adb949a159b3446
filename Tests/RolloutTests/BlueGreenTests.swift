import Analysis
import Foundation
import Rollout
import Synchronization
import Testing
import TestSupport

/// Blue/green against real hosts: the demo app in two slots behind a real nginx on each host.
@Suite("Blue/green with nginx", .serialized)
struct BlueGreenTests {
    static let proxyPort = 8080

    /// The example playbook itself: blue/green in waves of 50%, the demo app behind nginx.
    var playbook: String { RepositoryPaths.root + "/Playbooks/blue-green.yml" }

    func request(_ fleet: TestFleet, _ playbook: String, _ artifact: String) -> DeployRequest {
        DeployRequest(connection: ConnectionSettings(inventoryPath: fleet.inventoryPath, sshConfigPath: "none"),
                      playbook: playbook, artifact: artifact)
    }

    /// What each host's nginx serves now.
    func served(_ fleet: TestFleet) async throws -> [String: String] {
        var bodies: [String: String] = [:]
        for member in fleet.members {
            let (status, body) = try await DemoApp.get("http://\(member.address):\(Self.proxyPort)/")
            bodies[member.name] = "\(status) \(body)"
        }
        return bodies
    }

    func pid(_ member: TestFleet.Member, slot: String) -> String? {
        (try? String(contentsOfFile: member.srv + "/web/run/app-\(slot).pid", encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test func switchesWithoutFailingARequestRollsBackToTheWarmSlotAndNeverMovesTrafficToAnUnhealthySlot() async throws {
        try await TestFleet.with(hosts: 3) { fleet in
            let app = try DemoApp(fleet: fleet)
            try await app.startNginx(root: "/srv/web", proxyPort: Self.proxyPort, bluePort: 8001)

            // First release: nothing serves yet; blue gets it.
            let v1 = try await Deployment(request(fleet, playbook, try await app.artifact(version: "1.0.0"))).run(events: { _ in })
            #expect(v1.outcome == .promoted, "\(v1.reason ?? "")")
            #expect(Set(try await served(fleet).values) == ["200 demo 1.0.0 blue"])

            // Second release, watched from outside the whole time: green is started and checked
            // while blue serves; every request succeeds; each host moves from blue to green once.
            let urls = fleet.members.map { "http://\($0.address):\(Self.proxyPort)/" }
            let poller = try HTTPPoller(urls: urls, directory: app.directory)
            try await poller.waitUntilWatching(urls)
            let log = TimedEventLog()
            let v2 = try await Deployment(request(fleet, playbook, try await app.artifact(version: "2.0.0"))).run(events: log.sink)
            try await Task.sleep(for: .milliseconds(300))
            let samples = await poller.stop()
            #expect(v2.outcome == .promoted, "\(v2.reason ?? "")")
            #expect(samples.count > 20)
            #expect(samples.allSatisfy { $0.status == 200 }, "failed requests: \(samples.filter { $0.status != 200 }.prefix(5))")
            for member in fleet.members {
                let mine = samples.filter { $0.url.contains("//\(member.address):") }
                let seen = mine.map(\.body)
                #expect(seen.first == "demo 1.0.0 blue" && seen.last == "demo 2.0.0 green", "\(member.name): \(Set(seen))")
                #expect(Set(seen).isSubset(of: ["demo 1.0.0 blue", "demo 2.0.0 green"]))
                // Order on the host: the green slot was started and healthy before traffic moved.
                let order = log.steps(of: member.name)
                let stage = order.firstIndex(of: "stage ok"), health = order.firstIndex(of: "health ok"), flip = order.firstIndex(of: "switch started")
                #expect(stage != nil && health != nil && flip != nil && stage! < health! && health! < flip!, "\(order)")
                // Blue alone until the switch started; green alone once it finished (an nginx
                // reload serves from both generations of workers for a moment in between).
                if let started = log.time(of: member.name, "switch started"), let finished = log.time(of: member.name, "switch ok") {
                    let before = Set(mine.filter { $0.time < started }.map(\.body)), after = Set(mine.filter { $0.time > finished }.map(\.body))
                    #expect(before == ["demo 1.0.0 blue"], "\(member.name) before its switch: \(before)")
                    #expect(after == ["demo 2.0.0 green"], "\(member.name) after its switch: \(after)")
                } else {
                    Issue.record("\(member.name): no switch events")
                }
            }

            // A release that fails its smoke test through nginx: traffic goes back to green,
            // whose process kept running (same pid: warm, not restarted).
            let greenPids = fleet.members.map { pid($0, slot: "green") }
            let v3 = try await Deployment(request(fleet, playbook, try await app.artifact(version: "3.0.0", errorPercent: 100))).run(events: { _ in })
            #expect(v3.outcome == .rolledBack, "\(v3.reason ?? "")")
            #expect(v3.reason?.contains("smoke") == true)
            #expect(Set(try await served(fleet).values) == ["200 demo 2.0.0 green"])
            #expect(fleet.members.map { pid($0, slot: "green") } == greenPids)

            // A release whose idle slot is unhealthy: traffic never moves.
            let v4 = try await Deployment(request(fleet, playbook, try await app.artifact(version: "4.0.0", healthy: false))).run(events: { _ in })
            #expect(v4.outcome == .notSwitched)
            #expect(v4.reason?.contains("traffic was not moved") == true, "\(v4.reason ?? "")")
            #expect(Set(try await served(fleet).values) == ["200 demo 2.0.0 green"])

            // `cutover rollback`: the fleet already runs what it ran before the latest deploys.
            let connection = ConnectionSettings(inventoryPath: fleet.inventoryPath, sshConfigPath: "none")
            let stay = try await FleetRollback(RollbackRequest(connection: connection, playbook: playbook)).run(events: { _ in })
            #expect(stay.outcome == .promoted, "\(stay.reason ?? "") \(stay.hosts)")
            #expect(stay.hosts.allSatisfy { $0.state == .unchanged && $0.detail?.hasPrefix("already on 2.0.0-") == true }, "\(stay.hosts)")
            #expect(Set(try await served(fleet).values) == ["200 demo 2.0.0 green"])

            // `--to 1.0.0`: 1.0.0 is in no slot any more (blue holds 4.0.0), so it is started in
            // the idle slot, checked, and switched to.
            let back = try await FleetRollback(RollbackRequest(connection: connection, playbook: playbook, target: "1.0.0")).run(events: { _ in })
            #expect(back.outcome == .promoted, "\(back.reason ?? "") \(back.hosts)")
            #expect(back.hosts.allSatisfy { $0.state == .rolledBack && $0.release?.hasPrefix("1.0.0-") == true })
            #expect(Set(try await served(fleet).values) == ["200 demo 1.0.0 blue"])

            let statuses = Mutex([HostStatusReport]())
            _ = try await FleetStatus(PlaybookRequest(connection: connection, playbook: playbook)).run(events: { event in
                if case .hostStatus(let report) = event { statuses.withLock { $0.append(report) } }
            })
            let reports = statuses.withLock { $0 }
            #expect(reports.count == 3)
            #expect(reports.allSatisfy { $0.liveSlot == "blue" && $0.slots["green"]?.hasPrefix("2.0.0-") == true }, "\(reports)")
        }
    }
}

extension BlueGreenTests {
    /// Blue/green with a bake: the KPI judged after the switch fails, every host switches back to
    /// the warm slot (its `start` hook does not run again), and `current` and `live` follow.
    @Test func aKPIFailingAfterTheSwitchSendsTrafficBackToTheWarmSlot() async throws {
        try await TestFleet.with(hosts: 3) { fleet in
            let directory = fleet.directory + "/bake"
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            func artifact(_ version: String, errors: Int) async throws -> String {
                try await Self.stubArtifact(in: directory, version: version, errors: errors)
            }
            let playbook = directory + "/bg.yml"
            try """
            app: web
            deploy_root: /srv/web
            strategy: { blue-green: { bake: 2s } }
            hooks: { start: ./bin/start, switch: ./bin/switch }
            stable_for: 0s
            health: [ { command: test -s VERSION } ]
            kpis:
              error_rate: { command: cat error-rate, interval: 300ms, max: 5, critical: true }
            """.write(toFile: playbook, atomically: true, encoding: .utf8)
            let v1 = try await Deployment(request(fleet, playbook, try await artifact("1.0.0", errors: 0))).run(events: { _ in })
            #expect(v1.outcome == .promoted, "\(v1.reason ?? "")")
            let log = DeployEventLog()
            let v2 = try await Deployment(request(fleet, playbook, try await artifact("2.0.0", errors: 50))).run(events: log.sink)
            #expect(v2.outcome == .rolledBack, "\(v2.reason ?? "")")
            #expect(log.verdicts.first?.verdict == .fail)
            for member in fleet.members {
                let root = member.srv + "/web"
                let traffic = try String(contentsOfFile: root + "/traffic", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
                #expect(traffic == "blue")
                #expect(try FileManager.default.destinationOfSymbolicLink(atPath: root + "/live") == "slots/blue")
                #expect(try FileManager.default.destinationOfSymbolicLink(atPath: root + "/current") == "releases/" + (v1.release ?? ""))
                // Started once per release: blue with 1.0.0, green with 2.0.0; nothing restarted on the way back.
                let started = try String(contentsOfFile: root + "/started", encoding: .utf8).split(separator: "\n")
                #expect(started.count == 2, "\(started)")
            }
        }
    }
}

extension BlueGreenTests {
    /// A deploy's rollback whose checks failed on the warm slot is finished by `cutover rollback`
    /// where traffic already is (no restart, no other slot); the next `rollback` changes nothing,
    /// and `--to` a version goes further.
    @Test func finishingARollbackVerifiesTheLiveSlotWithoutRestartingIt() async throws {
        try await TestFleet.with(hosts: 2) { fleet in
            let directory = fleet.directory + "/finish"
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            func artifact(_ version: String, errors: Int) async throws -> String {
                try await Self.stubArtifact(in: directory, version: version, errors: errors)
            }
            try "triggers: [health, hook, smoke, kpi]\nscope: all\nchecks:\n  - command: test ! -e /srv/.fail-check\n"
                .write(toFile: directory + "/policy.yml", atomically: true, encoding: .utf8)
            let playbook = directory + "/bg.yml"
            try """
            app: web
            deploy_root: /srv/web
            strategy: { blue-green: { bake: 2s } }
            hooks: { start: ./bin/start, switch: ./bin/switch }
            stable_for: 0s
            health: [ { command: test -s VERSION } ]
            kpis:
              error_rate: { command: cat error-rate, interval: 300ms, max: 5, critical: true }
            rollback: policy.yml
            """.write(toFile: playbook, atomically: true, encoding: .utf8)
            for version in ["0.9.0", "1.0.0"] {
                let report = try await Deployment(request(fleet, playbook, try await artifact(version, errors: 0))).run(events: { _ in })
                #expect(report.outcome == .promoted, "\(report.reason ?? "")")
            }
            func started(_ member: TestFleet.Member) -> Int {
                ((try? String(contentsOfFile: member.srv + "/web/started", encoding: .utf8)) ?? "").split(separator: "\n").count
            }
            func traffic(_ member: TestFleet.Member) -> String {
                ((try? String(contentsOfFile: member.srv + "/web/traffic", encoding: .utf8)) ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            }
            // 2.0.0 fails its KPI; traffic goes back to green (1.0.0), whose checks then fail.
            for member in fleet.members { _ = FileManager.default.createFile(atPath: member.srv + "/.fail-check", contents: nil) }
            let bad = try await Deployment(request(fleet, playbook, try await artifact("2.0.0", errors: 50))).run(events: { _ in })
            #expect(bad.outcome == .notConverged, "\(bad.reason ?? "")")
            #expect(fleet.members.allSatisfy { traffic($0) == "green" && started($0) == 3 })
            for member in fleet.members { try FileManager.default.removeItem(atPath: member.srv + "/.fail-check") }

            // Finished where traffic is: green keeps 1.0.0, nothing started again.
            let connection = ConnectionSettings(inventoryPath: fleet.inventoryPath, sshConfigPath: "none")
            let finish = try await FleetRollback(RollbackRequest(connection: connection, playbook: playbook)).run(events: { _ in })
            #expect(finish.outcome == .promoted, "\(finish.reason ?? "") \(finish.hosts)")
            #expect(finish.hosts.allSatisfy { $0.release?.hasPrefix("1.0.0-") == true && $0.detail?.contains("stays on") == true }, "\(finish.hosts)")
            #expect(fleet.members.allSatisfy { traffic($0) == "green" && started($0) == 3 })

            // Now the rollback is done: the next one finds every host where it should be.
            let again = try await FleetRollback(RollbackRequest(connection: connection, playbook: playbook)).run(events: { _ in })
            #expect(again.outcome == .promoted, "\(again.reason ?? "") \(again.hosts)")
            #expect(again.hosts.allSatisfy { $0.state == .unchanged && $0.detail?.hasPrefix("already on 1.0.0-") == true }, "\(again.hosts)")
            #expect(again.reason?.contains("nothing to do") == true, "\(again.reason ?? "")")
            #expect(fleet.members.allSatisfy { traffic($0) == "green" && started($0) == 3 })

            // Further back takes --to (a version naming one release): 0.9.0, started again in the idle slot.
            let further = try await FleetRollback(RollbackRequest(connection: connection, playbook: playbook, target: "0.9.0")).run(events: { _ in })
            #expect(further.outcome == .promoted, "\(further.reason ?? "") \(further.hosts)")
            #expect(further.hosts.allSatisfy { $0.release?.hasPrefix("0.9.0-") == true }, "\(further.hosts)")
            #expect(fleet.members.allSatisfy { traffic($0) == "blue" && started($0) == 4 })
        }
    }
}

extension BlueGreenTests {
    /// A release for slot tests without a server: `bin/start` appends "SLOT RELEASE" to the deploy
    /// root's `started`, `bin/switch` writes the slot to `traffic`, `error-rate` holds `errors`.
    static func stubArtifact(in directory: String, version: String, errors: Int) async throws -> String {
        let tree = directory + "/tree-\(version)", path = directory + "/app-\(version).tar.gz"
        let result = try await Shell.runDetached(["sh", "-c", """
            set -e; mkdir -p "$1/bin"; echo "$2" > "$1/VERSION"; echo "$3" > "$1/error-rate"
            printf '#!/bin/sh\\necho "$CUTOVER_SLOT $CUTOVER_RELEASE" >> "$CUTOVER_DEPLOY_ROOT/started"\\n' > "$1/bin/start"
            printf '#!/bin/sh\\necho "$CUTOVER_SLOT" > "$CUTOVER_DEPLOY_ROOT/traffic"\\n' > "$1/bin/switch"
            chmod +x "$1/bin/start" "$1/bin/switch"; tar -czf "$4" -C "$1" .
            """, "sh", tree, version, String(errors), path])
        guard result.status == 0 else { throw TestSupportError(result.output) }
        return path
    }
}

/// Deploy events with the time each arrived.
final class TimedEventLog: Sendable {
    private let events = Mutex([(Date, DeployEvent)]())

    var sink: DeployEventSink { { [self] event in events.withLock { $0.append((Date(), event)) } } }

    /// "step state" for one host, in order.
    func steps(of host: String) -> [String] {
        events.withLock { list in
            list.compactMap {
                if case .step(let h, let step, let state, _) = $0.1, h == host { return "\(step.rawValue) \(state.rawValue)" }
                return nil
            }
        }
    }

    func time(of host: String, _ label: String) -> Date? {
        events.withLock { list in
            list.first {
                if case .step(let h, let step, let state, _) = $0.1 { return h == host && "\(step.rawValue) \(state.rawValue)" == label }
                return false
            }?.0
        }
    }
}
