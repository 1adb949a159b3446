import Fleet
import Foundation
import Transport
import Synchronization

/// `cutover unlock`: breaks the deploy lease on every selected host and records who did it
/// in each host's journal. A lease held by a deploy that still runs on this machine is left
/// alone unless `force` (breaking it would let a second deploy run beside a live one).
public struct LeaseBreak: Sendable {
    public let request: PlaybookRequest
    public let force: Bool

    public init(_ request: PlaybookRequest, force: Bool = false) {
        self.request = request
        self.force = force
    }

    public func run(events: @escaping DeployEventSink) async throws(RolloutError) -> DeployReport {
        let start = ContinuousClock.now
        let operation = try await FleetOperation(playbook: request.playbook, connection: request.connection,
                                           id: .run("u-" + DeployPreparation.newDeployID().dropFirst(2)), events: events)
        let who = DeployPreparation.owner.replacingOccurrences(of: " ", with: "_")
        let results = ResultLog()
        events(.started(DeployStart(operation: .unlock, deployID: operation.deployID, app: operation.app)))
        await operation.forEach { worker in
            events(.step(host: worker.name, step: .unlock, state: .started, detail: nil))
            do throws(SSHError) {
                let connection = try await operation.connector.connect(worker.host)
                if !force {
                    let lock = try await connection.run(worker.scripts.readLock, timeout: .seconds(30))
                    if let holder = LeaseHolder(lock: HostState.lockFields(lock.stdoutText)), holder.isAliveOnThisMachine {
                        await connection.close()
                        let text = "left alone: \(holder.deploy) still runs here (pid \(holder.pid)); stop it, or --force"
                        events(.step(host: worker.name, step: .unlock, state: .failed, detail: text))
                        results.set(worker.name, .init(host: worker.name, release: nil, state: .failed, detail: text))
                        return
                    }
                }
                // The broken deploy's relay leftovers go too (its authorized_keys lines, copies, keys).
                let result = try await connection.run(worker.scripts.breakLease(by: who) + "\n" + RelayScript.sweep(incoming: worker.scripts.layout.incoming),
                                                      timeout: .seconds(30))
                await connection.close()
                let text = result.stdoutText.split(separator: "\n").last.map(String.init) ?? ""
                let ok = result.exitStatus == 0
                events(.step(host: worker.name, step: .unlock, state: ok ? .ok : .failed, detail: text))
                results.set(worker.name, .init(host: worker.name, release: nil, state: ok ? .unchanged : .failed, detail: text))
            } catch {
                events(.step(host: worker.name, step: .unlock, state: .failed, detail: error.message))
                results.set(worker.name, .init(host: worker.name, release: nil, state: .unreachable, detail: error.message))
            }
        }
        await operation.connector.close()
        let hosts = operation.workers.compactMap { results.get($0.name) }
        let report = DeployReport(outcome: hosts.allSatisfy { $0.state == .unchanged } ? .promoted : .partial,
                                  deployID: operation.deployID, release: nil, reason: nil, hosts: hosts, duration: .now - start)
        events(.finished(report))
        return report
    }
}
