import Fleet
import Transport

/// `cutover check`: the inventory loads, and every selected host is reachable, presents a
/// trusted host key, accepts our credentials and runs `true`.
public struct ConnectivityCheck: Sendable {
    public let request: CheckRequest

    public init(_ request: CheckRequest) {
        self.request = request
    }

    public func run(events: @escaping FleetEventSink) async throws(RolloutError) -> RunSummary {
        let selection = try FleetSelection(request.connection)
        let connector = HostConnector(inventory: selection.inventory, hosts: selection.hosts, settings: request.connection)
        let start = ContinuousClock.now
        events(.started(hosts: selection.hosts.map(\.name), parallel: request.connection.parallel))
        var summary = RunSummary()
        await HostFanOut<Host, HostOutcome>(parallel: request.connection.parallel).run(selection.hosts) { host in
            await Self.check(host, connector: connector)
        } onResult: { outcome in
            summary.count(outcome)
            events(.hostFinished(outcome))
        }
        await connector.close()
        summary.duration = .now - start
        events(.finished(summary))
        return summary
    }

    private static func check(_ host: Host, connector: HostConnector) async -> HostOutcome {
        let start = ContinuousClock.now
        do throws(SSHError) {
            let connection = try await connector.connect(host)
            let result: CommandResult
            do throws(SSHError) {
                result = try await connection.run("true", timeout: .seconds(30))
            } catch {
                await connection.close()
                throw error
            }
            await connection.close()
            return HostOutcome(host: host.name, address: host.address, status: result.exitStatus == 0 ? .ok : .failed,
                               result: result, hostKeyTrust: connection.hostKeyTrust, duration: .now - start)
        } catch {
            return .failure(host: host.name, address: host.address, error: error, duration: .now - start)
        }
    }
}
