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
        try await PerHostRun(settings: request.connection).run(events: events) { host, connector in
            await Self.check(host, connector: connector)
        }
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
                               result: RemoteCommandResult(result), hostKeyTrust: HostKeyAcceptance(connection.hostKeyTrust), duration: .now - start)
        } catch {
            return .failure(host: host.name, address: host.address, error: error, duration: .now - start)
        }
    }
}
