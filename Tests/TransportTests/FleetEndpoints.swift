import HostKeys
import TestSupport
import Transport

extension TestFleet {
    /// An endpoint for one test host with the fleet's key and known_hosts.
    func endpoint(_ name: String = "h1", user: String? = nil, policy: HostKeyPolicy = .strict,
                  knownHosts: String? = nil, pinned: String? = nil) -> SSHEndpoint {
        let member = member(name)
        return SSHEndpoint(
            name: name, host: member.address, port: member.port, user: user ?? self.user,
            identityFiles: [identityPath], knownHostsFiles: [knownHosts ?? knownHostsPath],
            hostKeyPolicy: policy, pinnedHostKey: pinned, useAgent: false)
    }
}
