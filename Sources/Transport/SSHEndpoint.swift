public import HostKeys

/// Everything needed to open and authenticate one SSH connection.
public struct SSHEndpoint: Sendable, Hashable {
    /// The name shown to people (the inventory host name).
    public var name: String
    /// The address or DNS name to connect to; also the name looked up in known_hosts.
    public var host: String
    public var port: Int
    public var user: String
    /// Private key files, tried in order after the agent. Empty means OpenSSH's defaults.
    public var identityFiles: [String]
    /// The name of an environment variable holding the passphrase of the identity files.
    /// The passphrase itself never appears in settings or logs.
    public var passphraseEnvironmentVariable: String?
    /// known_hosts files; the first receives `accept-new` entries. Empty means OpenSSH's defaults.
    public var knownHostsFiles: [String]
    public var hostKeyPolicy: HostKeyPolicy
    /// A pinned host key fingerprint (`SHA256:…`); when set it alone decides trust.
    public var pinnedHostKey: String?
    /// Try identities held by ssh-agent (`SSH_AUTH_SOCK`) before key files.
    public var useAgent: Bool
    /// The agent's socket; nil means `SSH_AUTH_SOCK`.
    public var agentSocketPath: String?
    /// Jump hosts, first hop first (`ProxyJump a,b`); each hop is reached through the previous.
    public var jumpHosts: [SSHEndpoint]
    /// An ssh_config `ProxyCommand` (tokens `%h %p %r %n` unexpanded): the SSH connection runs
    /// over the command's stdin and stdout instead of a TCP connection. Not used with `jumpHosts`.
    public var proxyCommand: String?
    /// Also propose older algorithms (SHA-1 key exchange and MACs, CBC and 3DES ciphers, `ssh-rsa`
    /// host keys) after the modern ones, for a server that speaks nothing newer. Off by default:
    /// such a server is refused at the handshake.
    public var allowsLegacyAlgorithms: Bool

    public init(
        name: String, host: String, port: Int = 22, user: String,
        identityFiles: [String] = [], passphraseEnvironmentVariable: String? = nil,
        knownHostsFiles: [String] = [], hostKeyPolicy: HostKeyPolicy = .strict,
        pinnedHostKey: String? = nil, useAgent: Bool = true, jumpHosts: [SSHEndpoint] = [],
        proxyCommand: String? = nil, allowsLegacyAlgorithms: Bool = false
    ) {
        self.name = name
        self.host = host
        self.port = port
        self.user = user
        self.identityFiles = identityFiles
        self.passphraseEnvironmentVariable = passphraseEnvironmentVariable
        self.knownHostsFiles = knownHostsFiles
        self.hostKeyPolicy = hostKeyPolicy
        self.pinnedHostKey = pinnedHostKey
        self.useAgent = useAgent
        self.jumpHosts = jumpHosts
        self.proxyCommand = proxyCommand
        self.allowsLegacyAlgorithms = allowsLegacyAlgorithms
    }

    /// `user@host:port`, for messages.
    public var display: String {
        port == 22 ? "\(user)@\(host)" : "\(user)@\(host):\(port)"
    }
}

/// Timeouts and limits of a connection.
public struct SSHOptions: Sendable, Hashable {
    /// TCP connect plus SSH handshake, host-key check and authentication.
    public var connectTimeout: Duration
    /// Seconds of silence before TCP keepalive probes start; a dead peer is then noticed
    /// after `keepaliveIdle + 4 × keepaliveInterval`.
    public var keepaliveIdle: Int
    public var keepaliveInterval: Int
    /// Seconds between SSH keepalive messages while Cutover waits on a quiet session (0: none).
    /// They travel inside the SSH connection, so they cross jump hosts and keep NAT and
    /// firewall state alive, where TCP keepalive only covers the first hop.
    public var sshKeepaliveInterval: Int
    /// Who hears what a `ProxyCommand` writes to stderr (`--verbose`); nil: nobody.
    public var proxyLog: ProxyCommandLog?

    public init(connectTimeout: Duration = .seconds(10), keepaliveIdle: Int = 15, keepaliveInterval: Int = 5,
                sshKeepaliveInterval: Int = 15, proxyLog: ProxyCommandLog? = nil) {
        self.proxyLog = proxyLog
        self.connectTimeout = connectTimeout
        self.keepaliveIdle = keepaliveIdle
        self.keepaliveInterval = keepaliveInterval
        self.sshKeepaliveInterval = sshKeepaliveInterval
    }
}
