import Release
import Fleet
import Foundation
import Transport
import Synchronization

/// `cutover status`: per host the current and previous release, releases on disk, the lock
/// holder and the last journal entry; read-only, takes no lease.
public struct FleetStatus: Sendable {
    public let request: PlaybookRequest

    public init(_ request: PlaybookRequest) {
        self.request = request
    }

    public func run(events: @escaping DeployEventSink) async throws(RolloutError) -> DeployReport {
        let start = ContinuousClock.now
        let quiet: DeployEventSink = { _ in }
        let operation = try await FleetOperation(playbook: request.playbook, connection: request.connection, id: .verb(.status),
                                           sharedShell: false, events: quiet)
        events(.started(DeployStart(operation: .status, deployID: operation.deployID, app: operation.app)))
        let reports = Mutex([String: HostStatusReport]())
        await operation.forEach { worker in
            var report = HostStatusReport(host: worker.name, reachable: false, current: nil, previous: nil, releases: [], lock: nil, lastStep: nil, error: nil)
            do throws(SSHError) {
                let connection = try await operation.connector.connect(worker.host)
                let probe = worker.scripts.probe
                let result = try await connection.run(probe.text, timeout: .seconds(30))
                await connection.close()
                let state = probe.state(result.stdoutText)
                report.reachable = true
                // The event carries text, as the renderers and the JSON schema show it.
                report.current = state.current?.description
                report.previous = state.previous?.description
                report.releases = state.releases.map(\.description)
                report.lock = state.lock
                report.liveSlot = state.liveSlot?.rawValue
                report.slots = Dictionary(uniqueKeysWithValues: state.slots.map { ($0.key.rawValue, $0.value.description) })
                report.unrecognised = state.unrecognised
                report.lastStep = state.lastStep.map { "\($0.step.word) \($0.fields.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")) (\($0.deploy), \($0.time))" }
            } catch {
                report.error = error.reason(about: worker.name)
            }
            let final = report
            reports.withLock { $0[worker.name] = final }
        }
        await operation.connector.close()
        let all = operation.workers.compactMap { worker in reports.withLock { $0[worker.name] } }
        for report in all { events(.hostStatus(report)) }
        let currents = Set(all.compactMap(\.current))
        var summary = DeployReport(outcome: .promoted, deployID: operation.deployID, release: currents.count == 1 ? currents.first : nil,
                                   reason: nil, hosts: [], duration: .now - start)
        var notes: [String] = []
        if currents.count > 1 { notes.append("warning: the fleet runs mixed releases: \(currents.sorted().joined(separator: ", "))") }
        let down = all.filter { !$0.reachable }.map(\.host)
        if !down.isEmpty {
            summary.outcome = .partial
            notes.append("unreachable: \(down.joined(separator: ", "))")
        }
        let locked = all.filter { $0.lock != nil }.map(\.host)
        if !locked.isEmpty { notes.append("locked: \(locked.joined(separator: ", "))") }
        summary.reason = notes.isEmpty ? nil : notes.joined(separator: "; ")
        events(.finished(summary))
        return summary
    }
}
