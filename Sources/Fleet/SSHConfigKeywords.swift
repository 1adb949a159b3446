/// Which ssh_config keywords Cutover honours, and which of the others it warns about.
///
/// A keyword that changes how OpenSSH makes a connection, authenticates or trusts a host
/// (a proxy, an alias for host keys, certificates, algorithms, forwarding, …) is warned about
/// when Cutover ignores it, once per keyword per file: the user would otherwise believe it
/// applies. Keywords with no bearing on what Cutover does (keep-alives, compression, X11, the
/// escape character, logging, connection sharing, terminal and agent-adding settings) stay
/// silent, as does anything unknown.
enum SSHConfigKeywords {
    /// Keywords whose values Cutover uses (lowercased).
    static let honoured: Set<String> = [
        "hostname", "user", "port", "identityfile", "proxyjump", "proxycommand", "userknownhostsfile", "stricthostkeychecking",
    ]

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
            ("SecurityKeyProvider", nil),
            ("PreferredAuthentications", "Cutover authenticates with public keys only"),
            ("PubkeyAuthentication", nil),
            ("PasswordAuthentication", nil),
            ("KbdInteractiveAuthentication", nil),
            ("ChallengeResponseAuthentication", nil),
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

    /// The warning for an ignored keyword that matters, nil for any other keyword.
    static func warning(for keyword: String) -> String? {
        guard let entry = unhonoured[keyword] else { return nil }
        return "'\(entry.name)' is not honoured by Cutover; this line is ignored" + (entry.instead.map { " (\($0))" } ?? "")
    }
}
