import Diagnostics

/// Every ssh_config keyword OpenSSH 9.2 knows, which of them Cutover honours, and which of the
/// others it warns about.
///
/// - A keyword OpenSSH does not know is refused, as `ssh` refuses the file ("Bad configuration
///   option"), unless an `IgnoreUnknown` pattern in force names it (``SSHConfigParser``,
///   ``SSHConfigEvaluator``).
/// - A keyword that changes how OpenSSH makes a connection, authenticates or trusts a host (a proxy,
///   an alias for host keys, certificates, algorithms, forwarding, …) is warned about when Cutover
///   ignores it, once per keyword per file: the user would otherwise believe it applies.
/// - A keyword ssh itself reports as unsupported (`RSAAuthentication`, `CompressionLevel`, …) is
///   warned about as ssh does; ssh's deprecated ones (`Protocol`, `UseRoaming`, `Cipher`, …) stay
///   silent as in ssh.
/// - Keywords with no bearing on what Cutover does (keep-alives, compression, X11, the escape
///   character, logging, connection sharing, terminal and agent-adding settings) stay silent.
///
/// The names are those of OpenSSH 9.2's `readconf.c` keyword table, built with GSSAPI and PKCS#11
/// (as Debian's and most distributions' ssh are).
enum SSHConfigKeywords {
    /// What OpenSSH does with a keyword it knows.
    enum Kind: Equatable {
        /// A current keyword.
        case current
        /// Another name of a current keyword (lowercased).
        case alias(of: String)
        /// Accepted and ignored without a word (`debug` only).
        case deprecated
        /// Accepted and ignored, with an "Unsupported option" message.
        case unsupported
    }

    /// Keywords whose values Cutover uses (lowercased).
    static let honoured: Set<String> = [
        "hostname", "user", "port", "identityfile", "proxyjump", "proxycommand", "userknownhostsfile", "stricthostkeychecking",
    ]

    /// Every keyword OpenSSH knows, lowercased, with its usual spelling and kind.
    static let known: [String: (name: String, kind: Kind)] = {
        let current = [
            "AddKeysToAgent", "AddressFamily", "BatchMode", "BindAddress", "BindInterface", "CanonicalDomains",
            "CanonicalizeFallbackLocal", "CanonicalizeHostname", "CanonicalizeMaxDots", "CanonicalizePermittedCNAMEs",
            "CASignatureAlgorithms", "CertificateFile", "CheckHostIP", "Ciphers", "ClearAllForwardings", "Compression",
            "ConnectionAttempts", "ConnectTimeout", "ControlMaster", "ControlPath", "ControlPersist", "DynamicForward",
            "EnableEscapeCommandline", "EnableSSHKeysign", "EscapeChar", "ExitOnForwardFailure", "FingerprintHash",
            "ForkAfterAuthentication", "ForwardAgent", "ForwardX11", "ForwardX11Timeout", "ForwardX11Trusted",
            "GatewayPorts", "GlobalKnownHostsFile", "GSSAPIAuthentication", "GSSAPIDelegateCredentials", "HashKnownHosts",
            "Host", "HostbasedAcceptedAlgorithms", "HostbasedAuthentication", "HostKeyAlgorithms", "HostKeyAlias",
            "HostName", "IdentitiesOnly", "IdentityAgent", "IdentityFile", "IgnoreUnknown", "Include", "IPQoS",
            "KbdInteractiveAuthentication", "KbdInteractiveDevices", "KexAlgorithms", "KnownHostsCommand", "LocalCommand",
            "LocalForward", "LogLevel", "LogVerbose", "MACs", "Match", "NoHostAuthenticationForLocalhost",
            "NumberOfPasswordPrompts", "PasswordAuthentication", "PermitLocalCommand", "PermitRemoteOpen", "PKCS11Provider",
            "Port", "PreferredAuthentications", "ProxyCommand", "ProxyJump", "ProxyUseFdpass", "PubkeyAcceptedAlgorithms",
            "PubkeyAuthentication", "RekeyLimit", "RemoteCommand", "RemoteForward", "RequestTTY", "RequiredRSASize",
            "RevokedHostKeys", "SecurityKeyProvider", "SendEnv", "ServerAliveCountMax", "ServerAliveInterval",
            "SessionType", "SetEnv", "StdinNull", "StreamLocalBindMask", "StreamLocalBindUnlink", "StrictHostKeyChecking",
            "SyslogFacility", "TCPKeepAlive", "Tunnel", "TunnelDevice", "UpdateHostKeys", "User", "UserKnownHostsFile",
            "VerifyHostKeyDNS", "VisualHostKey", "XAuthLocation",
        ]
        let aliases = [
            ("ChallengeResponseAuthentication", "kbdinteractiveauthentication"), ("SkeyAuthentication", "kbdinteractiveauthentication"),
            ("TISAuthentication", "kbdinteractiveauthentication"), ("DSAAuthentication", "pubkeyauthentication"),
            ("IdentityFile2", "identityfile"), ("KeepAlive", "tcpkeepalive"), ("HostbasedKeyTypes", "hostbasedacceptedalgorithms"),
            ("PubkeyAcceptedKeyTypes", "pubkeyacceptedalgorithms"), ("SmartcardDevice", "pkcs11provider"),
        ]
        let deprecated = [
            "Protocol", "Cipher", "FallBackToRsh", "GlobalKnownHostsFile2", "RhostsAuthentication", "UserKnownHostsFile2",
            "UseRoaming", "UseRsh", "UsePrivilegedPort",
        ]
        let unsupported = [
            "AFSTokenPassing", "KerberosAuthentication", "KerberosTGTPassing", "RSAAuthentication", "RhostsRSAAuthentication",
            "CompressionLevel",
        ]
        var table: [String: (name: String, kind: Kind)] = [:]
        for name in current { table[name.lowercased()] = (name, .current) }
        for (name, target) in aliases { table[name.lowercased()] = (name, .alias(of: target)) }
        for name in deprecated { table[name.lowercased()] = (name, .deprecated) }
        for name in unsupported { table[name.lowercased()] = (name, .unsupported) }
        return table
    }()

    /// The current keywords' usual spellings, for "did you mean" hints.
    static let currentNames: [String] = known.values.filter { $0.kind == .current }.map(\.name).sorted()

    /// The keyword Cutover reads a line of `keyword` as (lowercased): an alias of an honoured
    /// keyword (`IdentityFile2`) is read as that keyword, as ssh does.
    static func canonical(_ keyword: String) -> String {
        if case .alias(let target)? = known[keyword]?.kind, honoured.contains(target) { return target }
        return keyword
    }

    /// The ignored keywords that change how a connection is made or trusted, lowercased, with
    /// their usual spelling and, where there is one, what to do instead.
    static let unhonoured: [String: (name: String, instead: String?)] = {
        var table: [String: (name: String, instead: String?)] = [:]
        let entries: [(String, String?)] = [
            ("ProxyUseFdpass", nil),
            ("HostKeyAlias", "host keys are looked up under the host's name and address; pin one with host_key:"),
            ("CheckHostIP", nil),
            ("GlobalKnownHostsFile", "list the file in UserKnownHostsFile or the inventory's known_hosts:"),
            ("KnownHostsCommand", nil),
            ("RevokedHostKeys", "mark the key @revoked in known_hosts"),
            ("VerifyHostKeyDNS", nil),
            ("UpdateHostKeys", nil),
            ("NoHostAuthenticationForLocalhost", nil),
            ("HostKeyAlgorithms", "Cutover proposes modern algorithms only; legacy_algorithms: true adds older ones"),
            ("KexAlgorithms", "Cutover proposes modern algorithms only; legacy_algorithms: true adds older ones"),
            ("Ciphers", "Cutover proposes modern algorithms only; legacy_algorithms: true adds older ones"),
            ("MACs", "Cutover proposes modern algorithms only; legacy_algorithms: true adds older ones"),
            ("PubkeyAcceptedAlgorithms", nil),
            ("PubkeyAcceptedKeyTypes", nil),
            ("CASignatureAlgorithms", nil),
            ("CertificateFile", "Cutover authenticates with plain keys only"),
            ("IdentitiesOnly", "Cutover offers ssh-agent keys first, then identity files"),
            ("IdentityAgent", "Cutover uses $SSH_AUTH_SOCK"),
            ("PKCS11Provider", nil),
            ("SmartcardDevice", nil),
            ("SecurityKeyProvider", nil),
            ("PreferredAuthentications", "Cutover authenticates with public keys only"),
            ("PubkeyAuthentication", nil),
            ("DSAAuthentication", nil),
            ("PasswordAuthentication", nil),
            ("KbdInteractiveAuthentication", nil),
            ("ChallengeResponseAuthentication", nil),
            ("SkeyAuthentication", nil),
            ("TISAuthentication", nil),
            ("HostbasedAuthentication", nil),
            ("GSSAPIAuthentication", nil),
            ("GSSAPIDelegateCredentials", nil),
            ("ForwardAgent", "commands on the host do not see your agent"),
            ("LocalForward", nil),
            ("RemoteForward", nil),
            ("DynamicForward", nil),
            ("Tunnel", nil),
            ("BindAddress", nil),
            ("BindInterface", nil),
            ("AddressFamily", nil),
            ("CanonicalizeHostname", nil),
            ("CanonicalDomains", nil),
            ("ConnectTimeout", "use --connect-timeout"),
            ("RemoteCommand", nil),
            ("LocalCommand", nil),
            ("PermitLocalCommand", nil),
            ("SendEnv", nil),
            ("SetEnv", nil),
            ("RequestTTY", nil),
        ]
        for (name, instead) in entries { table[name.lowercased()] = (name, instead) }
        return table
    }()

    /// The warning for an ignored keyword that matters or that ssh no longer supports, nil for
    /// any other keyword.
    static func warning(for keyword: String) -> String? {
        if let entry = known[keyword], entry.kind == .unsupported {
            return "'\(entry.name)' is no longer supported by OpenSSH (ssh says so too); this line is ignored"
        }
        guard let entry = unhonoured[keyword] else { return nil }
        return "'\(entry.name)' is not honoured by Cutover; this line is ignored" + (entry.instead.map { " (\($0))" } ?? "")
    }

    /// The error for a keyword OpenSSH does not know, `written` as in the file.
    static func unknownMessage(_ written: String) -> String {
        "unknown keyword '\(written)'\(Suggestion.hint(for: written, in: currentNames)): ssh refuses the whole file"
            + " for it (\"Bad configuration option\"); to have both ignore it, name it in an IgnoreUnknown line above this one"
    }

    /// Whether an `IgnoreUnknown` value names `keyword` (lowercased), as OpenSSH's
    /// `match_pattern_list` decides: comma-separated patterns compared without regard to case,
    /// some pattern matches and no `!`-negated one does.
    static func ignores(_ patterns: String, _ keyword: String) -> Bool {
        var matched = false
        for pattern in patterns.split(separator: ",") {
            if pattern.hasPrefix("!") {
                if Glob(pattern: String(pattern.dropFirst()), caseInsensitive: true).matches(keyword) { return false }
            } else if Glob(pattern: String(pattern), caseInsensitive: true).matches(keyword) {
                matched = true
            }
        }
        return matched
    }
}
