import Fleet
import Foundation
public import Release
import Transport

/// `cutover promote` and `cutover abort`, from any terminal or CI job. `promote` answers a
/// deploy waiting at a pause by writing the decision on every selected host it holds; `abort`
/// asks the deploy holding the hosts to stop, whatever it is doing (running, baking, paused):
/// it reads the request within about a second and rolls back what it switched.
///
/// Neither runs a deploy of its own: the events carry the verb where a deploy id goes, and each
/// host that took the answer names the deploy it answered (``HostResultCause/answered(deployID:)``).
/// A host with nothing to answer (no deploy holds it, or its deploy is not paused) is not an
/// error and ends `unchanged`; a host whose script failed ends `failed`.
public struct PauseAnswer: Sendable {
    public let request: PlaybookRequest
    public let action: PauseAction

    public init(_ request: PlaybookRequest, action: PauseAction) {
        self.request = request
        self.action = action
    }

    public func run(events: @escaping DeployEventSink) async throws(RolloutError) -> DeployReport {
        let start = ContinuousClock.now
        let operation = try await FleetOperation(playbook: request.playbook, connection: request.connection,
                                                 id: .verb(action.operation), events: events)
        let who = DeployPreparation.owner.replacingOccurrences(of: " ", with: "_")
        let results = ResultLog()
        events(.started(DeployStart(operation: action.operation, deployID: operation.deployID, app: operation.app)))
        let action = self.action
        await operation.forEach { worker in
            do throws(SSHError) {
                let connection = try await operation.connector.connect(worker.host)
                let script = switch action {
                case .abort: worker.scripts.writeAbort(by: who)
                case .promote: worker.scripts.writeDecision(action, by: who)
                }
                let result = try await connection.run(script, timeout: .seconds(30))
                await connection.close()
                results.set(worker.name, HostAnswer(result).result(host: worker.name, action: action))
            } catch {
                results.set(worker.name, .init(host: worker.name, release: nil, state: .unreachable, detail: error.message))
            }
        }
        await operation.connector.close()
        let hosts = operation.workers.compactMap { results.get($0.name) }
        let answered = hosts.filter { $0.state == .promoted }
        var report = DeployReport(outcome: answered.isEmpty ? .partial : .promoted, deployID: operation.deployID, release: nil,
                                  reason: nil, hosts: hosts, duration: .now - start)
        report.reason = Self.reason(action, hosts: hosts)
        events(.finished(report))
        return report
    }

    /// What the summary says: the answer went out, or why it reached no deploy (hosts with
    /// nothing to answer, hosts where it failed, hosts not reached, each with their details).
    static func reason(_ action: PauseAction, hosts: [DeployReport.HostResult]) -> String {
        let failed = hosts.filter { $0.state == .failed }
        let failures = failed.isEmpty ? "" : "; it failed on \(failed.map { "\($0.host) (\($0.detail ?? "?"))" }.joined(separator: ", "))"
        if hosts.contains(where: { $0.state == .promoted }) {
            return switch action {
            case .abort: "abort sent; the deploy stops within a second or two and rolls back what it switched" + failures
            case .promote: "promote sent; the paused deploy goes on within a second" + failures
            }
        }
        let nobody = switch action {
        case .abort: "no deploy holds any selected host"
        case .promote: "no selected host has a deploy waiting at a pause"
        }
        let others = hosts.filter { $0.state != .failed }
        let details = Set(others.compactMap(\.detail)).sorted().joined(separator: "; ")
        if failed.isEmpty { return "\(nobody) (\(details))" }
        let sent = "\(action.rawValue) reached no deploy" + failures
        return others.isEmpty ? sent : "\(sent); elsewhere \(nobody) (\(details))"
    }
}

/// How a host took `promote` or `abort`, from its script's exit status.
enum HostAnswer: Sendable, Hashable {
    /// The answer was written for this deploy.
    case answered(deployID: String)
    /// No deploy holds the host, or (promote) its deploy is not waiting at a pause: why, in words.
    case nothingToAnswer(String)
    /// The script failed (a refused deploy root, a file it could not write): the status and its output.
    case failed(String)

    init(_ result: CommandResult) {
        let output = result.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines)
        switch result.exitStatus {
        case 0:
            self = .answered(deployID: output)
        case let status where RemoteExit(status) == .nothingToAnswer:
            self = .nothingToAnswer(output)
        default:
            let said = [output, result.stderrText.trimmingCharacters(in: .whitespacesAndNewlines)].filter { !$0.isEmpty }
            self = .failed(([result.summary] + said).joined(separator: ": "))
        }
    }

    /// The host's line in the report.
    func result(host: String, action: PauseAction) -> DeployReport.HostResult {
        switch self {
        case .answered(let deployID):
            .init(host: host, release: nil, state: .promoted, detail: "\(action.rawValue) sent to \(deployID)", cause: .answered(deployID: deployID))
        case .nothingToAnswer(let why):
            .init(host: host, release: nil, state: .unchanged, detail: why)
        case .failed(let why):
            .init(host: host, release: nil, state: .failed, detail: why)
        }
    }
}

extension PauseAction {
    /// The verb that sends this answer: `cutover promote`, `cutover abort`.
    public var operation: DeployStart.Operation {
        switch self {
        case .promote: .promote
        case .abort: .abort
        }
    }
}
