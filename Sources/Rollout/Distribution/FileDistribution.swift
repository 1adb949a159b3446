import Fleet
import Glibc
import Transport

/// `cutover upload`: streams one file to every selected host in parallel; each host checks
/// the sha256 before the file appears at its path.
public struct FileDistribution: Sendable {
    public let request: UploadRequest

    public init(_ request: UploadRequest) {
        self.request = request
    }

    public func run(events: @escaping FleetEventSink) async throws(RolloutError) -> RunSummary {
        guard request.remotePath.hasPrefix("/"), !request.remotePath.hasSuffix("/") else {
            throw .usage("the remote path must be an absolute file path: \(request.remotePath)")
        }
        guard access(request.localPath, R_OK) == 0 else {
            throw .usage("cannot read \(request.localPath)")
        }
        let selection = try FleetSelection(request.connection)
        // One hash for the whole fleet; every host must receive exactly these bytes.
        let digest: String
        do {
            digest = try LocalFileDigest.sha256(path: request.localPath)
        } catch {
            throw .usage(error.message)
        }
        let connector = HostConnector(inventory: selection.inventory, hosts: selection.hosts, settings: request.connection)
        let start = ContinuousClock.now
        events(.started(hosts: selection.hosts.map(\.name), parallel: request.connection.parallel))
        var summary = RunSummary()
        let request = self.request
        await HostFanOut<Fleet.Host, HostOutcome>(parallel: request.connection.parallel).run(selection.hosts) { host in
            await Self.upload(request, digest: digest, to: host, connector: connector)
        } onResult: { outcome in
            summary.count(outcome)
            events(.hostFinished(outcome))
        }
        await connector.close()
        summary.duration = .now - start
        events(.finished(summary))
        return summary
    }

    private static func upload(_ request: UploadRequest, digest: String, to host: Fleet.Host, connector: HostConnector) async -> HostOutcome {
        let start = ContinuousClock.now
        do throws(SSHError) {
            let connection = try await connector.connect(host)
            do throws(SSHError) {
                let result = try await connection.upload(
                    localPath: request.localPath, to: request.remotePath, expectedSHA256: digest, timeout: request.timeout)
                await connection.close()
                var outcome = HostOutcome(host: host.name, address: host.address, status: .ok, duration: .now - start)
                outcome.upload = result
                return outcome
            } catch {
                await connection.close()
                throw error
            }
        } catch {
            return .failure(host: host.name, address: host.address, error: error, duration: .now - start)
        }
    }
}
