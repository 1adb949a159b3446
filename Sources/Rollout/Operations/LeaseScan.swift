import Fleet
import Synchronization
import Transport

/// `resume`'s first look at the fleet: every host's lease, read on the connection the resumed
/// deploy then goes on with. Each host's connection (or why there is none) is kept in the
/// connector's ``HostConnector/held``, so the deploy's workers connect without a second
/// handshake and a host found unreachable here is not tried (and timed out) again.
///
/// A host that cannot be reached or read contributes no lease (as in `cutover status`).
struct LeaseScan {
    let connector: HostConnector
    let layout: HostLayout
    let parallel: Int

    /// The lock fields of each host holding a lease (a `deploy=` line), in the order of `hosts`.
    func locks(of hosts: [Fleet.Host]) async -> [[String: String]] {
        let found = Mutex([String: [String: String]]())
        let (connector, layout) = (connector, layout)
        await HostFanOut<Fleet.Host, Void>(parallel: parallel).run(hosts, work: { host in
            let connection: SSHConnection
            do throws(SSHError) {
                connection = try await connector.connect(host)
            } catch {
                return await connector.held.keep(.failure(error), for: host.name)
            }
            let probe = ProbeScript(layout: layout)
            do throws(SSHError) {
                let result = try await connection.run(probe.text, timeout: .seconds(30))
                if let lock = probe.state(result.stdoutText).lock, lock["deploy"] != nil {
                    found.withLock { $0[host.name] = lock }
                }
                await connector.held.keep(.success(connection), for: host.name)
            } catch {
                await connection.close()
                await connector.held.keep(.failure(error), for: host.name)
            }
        }, onResult: { _ in })
        return hosts.compactMap { host in found.withLock { $0[host.name] } }
    }
}
