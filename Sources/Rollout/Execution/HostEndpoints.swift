import Diagnostics
import Fleet
import Glibc
import HostKeys
import Transport

/// Turns inventory hosts into transport endpoints: user defaults, known_hosts policy, jump chain.
struct HostEndpoints {
    let inventory: Inventory

    func endpoint(for host: Host) -> SSHEndpoint {
        var endpoint = Self.single(host)
        endpoint.jumpHosts = inventory.jumpChain(for: host).map(Self.single)
        return endpoint
    }

    private static func single(_ host: Host) -> SSHEndpoint {
        // The passphrase itself is read by Transport; whatever it is, no output may show it.
        if let name = host.passphraseEnvironmentVariable, let passphrase = getenv(name).map({ String(cString: $0) }) {
            SecretRedaction.register(passphrase)
        }
        return SSHEndpoint(
            name: host.name, host: host.address, port: host.port,
            user: host.user ?? LocalUser.name,
            identityFiles: host.identityFiles,
            passphraseEnvironmentVariable: host.passphraseEnvironmentVariable,
            knownHostsFiles: host.knownHostsFiles,
            hostKeyPolicy: host.hostKeyPolicy == .acceptNew ? .acceptNew : .strict,
            pinnedHostKey: host.hostKey,
            proxyCommand: host.proxyCommand,
            allowsLegacyAlgorithms: host.legacyAlgorithms)
    }
}

/// The user running Cutover, OpenSSH's default remote user.
enum LocalUser {
    static var name: String {
        if let user = getenv("USER").map({ String(cString: $0) }), !user.isEmpty { return user }
        if let entry = getpwuid(getuid()), let name = entry.pointee.pw_name { return String(cString: name) }
        return "root"
    }
}
