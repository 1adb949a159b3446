import Fleet
import Foundation
import Transport

/// `cutover promote` and `cutover abort`, from any terminal or CI job. `promote` answers a
/// deploy waiting at a pause by writing the decision on every selected host it holds; `abort`
/// asks the deploy holding the hosts to stop, whatever it is doing (running, baking, paused):
/// it reads the request within about a second and rolls back what it switched.
public struct PauseAnswer: Sendable {
    public enum Action: String, Sendable {
        case promote, abort
    }

    public let request: PlaybookRequest
    public let action: Action

    public init(_ request: PlaybookRequest, action: Action) {
        self.request = request
        self.action = action
    }

    public func run(events: @escaping DeployEventSink) async throws(RolloutError) -> DeployReport {
        let start = ContinuousClock.now
        let operation = try await FleetOperation(playbook: request.playbook, connection: request.connection, deployID: action.rawValue, events: events)
        let who = DeployPreparation.owner.replacingOccurrences(of: " ", with: "_")
        let results = ResultLog()
        events(.started(DeployStart(operation: action == .promote ? .promote : .abort, deployID: operation.deployID, app: operation.app)))
        let action = self.action
        await operation.forEach { worker in
            do throws(SSHError) {
                let connection = try await operation.connector.connect(worker.host)
                let script = action == .abort ? worker.scripts.writeAbort(by: who) : worker.scripts.writeDecision(action.rawValue, by: who)
                let result = try await connection.run(script, timeout: .seconds(30))
                await connection.close()
                let text = result.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines)
                let answered = result.exitStatus == 0
                results.set(worker.name, .init(host: worker.name, release: nil, state: answered ? .promoted : .unchanged,
                                               detail: answered ? "\(action.rawValue) sent to \(text)" : text,
                                               cause: answered ? .answered(deployID: text) : nil))
            } catch {
                results.set(worker.name, .init(host: worker.name, release: nil, state: .unreachable, detail: error.message))
            }
        }
        await operation.connector.close()
        let hosts = operation.workers.compactMap { results.get($0.name) }
        let answered = hosts.filter { $0.state == .promoted }
        var report = DeployReport(outcome: answered.isEmpty ? .partial : .promoted, deployID: action.rawValue, release: nil,
                                  reason: nil, hosts: hosts, duration: .now - start)
        let nobody = action == .abort ? "no deploy holds any selected host" : "no selected host has a deploy waiting at a pause"
        let sent = action == .abort ? "abort sent; the deploy stops within a second or two and rolls back what it switched"
            : "promote sent; the paused deploy goes on within a second"
        report.reason = answered.isEmpty ? "\(nobody) (\(Set(hosts.compactMap(\.detail)).sorted().joined(separator: "; ")))" : sent
        events(.finished(report))
        return report
    }
}
