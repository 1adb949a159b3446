import Fleet
import Foundation
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
        // One hash for the whole fleet; every host must receive exactly these bytes.
        let digest: String
        do {
            digest = try LocalFileDigest.sha256(path: request.localPath)
        } catch {
            throw .usage(error.message)
        }
        var request = self.request
        if request.mode == nil {
            var info = stat()
            guard stat(request.localPath, &info) == 0 else { throw .usage("cannot read \(request.localPath)") }
            request.mode = Int(info.st_mode) & 0o7755 & ~0o6000
        }
        let settled = request
        return try await PerHostRun(settings: request.connection).run(events: events) { host, connector in
            await Self.upload(settled, digest: digest, to: host, connector: connector)
        }
    }

    private static func upload(_ request: UploadRequest, digest: String, to host: Fleet.Host, connector: HostConnector) async -> HostOutcome {
        let start = ContinuousClock.now
        var answered = false
        do throws(SSHError) {
            let connection = try await connector.connect(host)
            answered = true
            do throws(SSHError) {
                // The upload is written private (umask 077) and gets its mode before the rename.
                let result = try await connection.upload(
                    localPath: request.localPath, to: request.remotePath, expectedSHA256: digest, timeout: request.timeout,
                    noProgressTimeout: request.noProgressTimeout, mode: request.mode)
                await connection.close()
                var outcome = HostOutcome(host: host.name, address: host.address, status: .ok, duration: .now - start)
                outcome.upload = UploadReceipt(result)
                return outcome
            } catch {
                await connection.close()
                throw error
            }
        } catch {
            return .failure(host: host.name, address: host.address, error: error, duration: .now - start, answered: answered)
        }
    }
}
