import Foundation
import HostKeys
import Transport

/// A host that holds the artifact and serves it to others (`distribution: relay`): where a
/// receiving host connects, as whom, and the host key it must see there.
///
/// The address, port and user are the ones the runner connects to (the inventory's, after
/// ssh_config): a host-to-host connection goes to the same sshd, as the same user. The host key
/// is the one the runner verified on its own connection; the receiver gets it as its only
/// known_hosts line (under ``hostKeyAlias``), so host key checking stays on between hosts.
struct RelaySource: Sendable, Hashable {
    /// The inventory name, for events.
    let name: String
    let address: String
    let port: Int
    let user: String
    let hostKey: HostKey

    /// The name the receiver's ssh looks the key up under (`-o HostKeyAlias=…`), whatever the
    /// address and port: the known_hosts file the receiver gets holds this one line.
    static let hostKeyAlias = "cutover-relay-source"

    /// `cutover-relay-source ssh-ed25519 AAAA…`.
    var knownHostsLine: String {
        "\(Self.hostKeyAlias) \(hostKey.algorithm) \(Data(hostKey.blob).base64EncodedString())"
    }

    /// The host key algorithms the receiver's ssh may accept (`-o HostKeyAlgorithms=…`): those
    /// of the key it knows, so a source with several host keys is asked for that one.
    var hostKeyAlgorithms: String {
        hostKey.algorithm == "ssh-rsa" ? "rsa-sha2-512,rsa-sha2-256,ssh-rsa" : hostKey.algorithm
    }

    /// Why `endpoint` cannot be a source, nil when it can: other hosts reach a source directly,
    /// at the address the runner uses, so a host behind a jump host or a ProxyCommand cannot
    /// serve (it may still receive). An address, port or user that is not a plain word is
    /// refused too (it goes to another host's ssh command line, quoted, but never as an option).
    static func refusal(_ endpoint: SSHEndpoint) -> String? {
        if !endpoint.jumpHosts.isEmpty { return "reached through a jump host" }
        if endpoint.proxyCommand != nil { return "reached through a ProxyCommand" }
        if !plain(endpoint.host) { return "its address is not a plain host name or IP address" }
        if !plain(endpoint.user) { return "its user name is not a plain word" }
        if !(1...65535).contains(endpoint.port) { return "its port is out of range" }
        return nil
    }

    private static func plain(_ text: String) -> Bool {
        !text.isEmpty && !text.hasPrefix("-")
            && text.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "._-:[]%@+".unicodeScalars.contains($0)) }
    }
}
