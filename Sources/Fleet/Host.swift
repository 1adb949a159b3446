/// One machine Cutover can reach over SSH, with every connection setting already resolved.
public struct Host: Sendable, Hashable {
    /// The inventory name (also the `--limit` name); for a jump host synthesised from ssh_config, the spec text.
    public var name: String
    /// What to connect to: IP address or DNS name. Defaults to `name`.
    public var address: String
    /// SSH port, 22 unless configured.
    public var port: Int
    /// Remote user; `nil` means the caller uses `$USER`.
    public var user: String?
    /// Private key files, absolute, `~` expanded; relative ones resolved against the inventory's directory.
    public var identityFiles: [String]
    /// Environment variable holding the identity passphrase (inventory key `identity_passphrase_env`).
    public var passphraseEnvironmentVariable: String?
    /// known_hosts files, resolved like `identityFiles`; empty means the caller's default.
    public var knownHostsFiles: [String]
    /// A pinned host key fingerprint, `SHA256:…`.
    public var hostKey: String?
    /// How unknown host keys are treated; `nil` means the default (strict).
    public var hostKeyPolicy: HostKeyPolicySetting?
    /// Name of the host to jump through (an inventory host or a synthesised ssh_config jump host).
    public var jump: String?
    /// ssh_config `ProxyCommand` as written (`%h %p %r %n` expanded when connecting): the
    /// connection runs over the command's stdin and stdout. Never set together with `jump`.
    public var proxyCommand: String?
    /// `legacy_algorithms: true`: the host may negotiate SHA-1, CBC and 3DES algorithms too
    /// (after the modern ones); otherwise a server offering only those is refused.
    public var legacyAlgorithms: Bool
    /// Labels for selection (`zone=a`).
    public var labels: [String: String]
    /// Variables: group vars merged, host vars win.
    public var vars: [String: InventoryValue]
    /// Names of the groups that contain this host, in inventory order.
    public var groups: [String]

    /// Creates a host; everything but the name has a default.
    public init(
        name: String,
        address: String? = nil,
        port: Int = 22,
        user: String? = nil,
        identityFiles: [String] = [],
        passphraseEnvironmentVariable: String? = nil,
        knownHostsFiles: [String] = [],
        hostKey: String? = nil,
        hostKeyPolicy: HostKeyPolicySetting? = nil,
        jump: String? = nil,
        proxyCommand: String? = nil,
        legacyAlgorithms: Bool = false,
        labels: [String: String] = [:],
        vars: [String: InventoryValue] = [:],
        groups: [String] = []
    ) {
        self.name = name
        self.address = address ?? name
        self.port = port
        self.user = user
        self.identityFiles = identityFiles
        self.passphraseEnvironmentVariable = passphraseEnvironmentVariable
        self.knownHostsFiles = knownHostsFiles
        self.hostKey = hostKey
        self.hostKeyPolicy = hostKeyPolicy
        self.jump = jump
        self.proxyCommand = proxyCommand
        self.legacyAlgorithms = legacyAlgorithms
        self.labels = labels
        self.vars = vars
        self.groups = groups
    }
}

extension Host {
    /// The host's secret variables, for its commands' environment, in name order.
    public var secrets: [SecretVariable] {
        vars.keys.sorted().compactMap { key in
            if case .secret(let secret) = vars[key] { return secret }
            return nil
        }
    }
}
