/// Connection settings from one source (a host entry, `defaults`, ssh_config); `nil` means "not set here".
///
/// Layers combine with `filling(from:)`: the receiver's values win, gaps are filled from the other layer.
struct ConnectionSettings: Sendable, Hashable {
    var address: String?
    var port: Int?
    var user: String?
    var identityFiles: [String]?
    var passphraseEnvironmentVariable: String?
    var knownHostsFiles: [String]?
    var hostKey: String?
    var hostKeyPolicy: HostKeyPolicySetting?
    var jump: JumpSetting?
    /// `legacy_algorithms`: also propose SHA-1, CBC and 3DES algorithms to this host.
    var legacyAlgorithms: Bool?

    /// This layer with its gaps filled from `other`.
    func filling(from other: ConnectionSettings) -> ConnectionSettings {
        ConnectionSettings(
            address: address ?? other.address,
            port: port ?? other.port,
            user: user ?? other.user,
            identityFiles: identityFiles ?? other.identityFiles,
            passphraseEnvironmentVariable: passphraseEnvironmentVariable ?? other.passphraseEnvironmentVariable,
            knownHostsFiles: knownHostsFiles ?? other.knownHostsFiles,
            hostKey: hostKey ?? other.hostKey,
            hostKeyPolicy: hostKeyPolicy ?? other.hostKeyPolicy,
            jump: jump ?? other.jump,
            legacyAlgorithms: legacyAlgorithms ?? other.legacyAlgorithms
        )
    }
}

/// Where a host's jump comes from, which decides how the target is looked up.
enum JumpSetting: Sendable, Hashable {
    /// `jump:` in the inventory: must name an inventory host.
    case inventory(name: String, point: SourcePoint?)
    /// ssh_config `ProxyJump`: hops first to last, each an inventory host name or `[user@]host[:port]`.
    case proxyJump([String])
    /// ssh_config `ProxyCommand`, as written (tokens expanded when connecting): the connection is
    /// the command's stdin and stdout.
    case proxyCommand(String)
    /// ssh_config `ProxyJump none` or `ProxyCommand none`: connect directly, overriding later layers.
    case direct
}
