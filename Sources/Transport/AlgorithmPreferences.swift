import CLibSSH2

/// The algorithms Cutover proposes in the SSH handshake, per class, most preferred first.
///
/// Modern only by default: no SHA-1 or MD5 MACs, no CBC, 3DES, RC4 or Blowfish ciphers, no
/// SHA-1 Diffie-Hellman, no `ssh-rsa` (SHA-1) or DSA host keys. libssh2 1.10 supports every name
/// listed here (a test holds it to that: libssh2 drops an unknown name silently, so a typo would
/// narrow the proposal without a word). `legacy` adds what older servers and appliances speak,
/// after the modern ones, for hosts that set `legacy_algorithms: true`.
struct AlgorithmPreferences: Sendable, Hashable {
    /// A class of algorithms negotiated separately.
    enum Kind: Sendable, CaseIterable {
        case keyExchange, hostKey, cipher, mac

        /// How the handshake error names it.
        var name: String {
            switch self {
            case .keyExchange: "key exchange"
            case .hostKey: "host key type"
            case .cipher: "cipher"
            case .mac: "MAC"
            }
        }

        /// libssh2's method types for this class (both directions for ciphers and MACs).
        var methodTypes: [Int32] {
            switch self {
            case .keyExchange: [LIBSSH2_METHOD_KEX]
            case .hostKey: [LIBSSH2_METHOD_HOSTKEY]
            case .cipher: [LIBSSH2_METHOD_CRYPT_CS, LIBSSH2_METHOD_CRYPT_SC]
            case .mac: [LIBSSH2_METHOD_MAC_CS, LIBSSH2_METHOD_MAC_SC]
            }
        }
    }

    let keyExchange: [String]
    let hostKey: [String]
    let cipher: [String]
    let mac: [String]

    subscript(kind: Kind) -> [String] {
        switch kind {
        case .keyExchange: keyExchange
        case .hostKey: hostKey
        case .cipher: cipher
        case .mac: mac
        }
    }

    /// curve25519 first: far cheaper in CPU than the NIST curves or finite-field DH.
    /// aes128-ctr first: libssh2 1.10 calls the cipher once per 16-byte block, so the cipher is
    /// most of an upload's client CPU, and AES-128 (10 rounds to AES-256's 14) does 16-byte calls
    /// a third faster here (`openssl speed -evp aes-128-ctr -bytes 16`: 700 MB/s, aes-256-ctr 528);
    /// it is also what the published benchmarks negotiated. Both are strong; 1.10 has no GCM or ChaCha20.
    static let modern = AlgorithmPreferences(
        keyExchange: ["curve25519-sha256", "curve25519-sha256@libssh.org", "ecdh-sha2-nistp256", "ecdh-sha2-nistp384",
                      "ecdh-sha2-nistp521", "diffie-hellman-group16-sha512", "diffie-hellman-group14-sha256"],
        hostKey: ["ssh-ed25519", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521"],
        cipher: ["aes128-ctr", "aes192-ctr", "aes256-ctr"],
        mac: ["hmac-sha2-256", "hmac-sha2-512"])

    /// `legacy_algorithms: true`: the modern ones first, then group-exchange and SHA-1 key
    /// exchange, `ssh-rsa` (SHA-1) and DSA host keys, CBC and 3DES ciphers, SHA-1 MACs. Still never
    /// RC4 (arcfour), Blowfish, CAST, MD5 or the 1024-bit group 1, which no maintained server needs.
    static let legacy = AlgorithmPreferences(
        keyExchange: modern.keyExchange + ["diffie-hellman-group-exchange-sha256", "diffie-hellman-group14-sha1",
                                           "diffie-hellman-group-exchange-sha1"],
        hostKey: modern.hostKey + ["ssh-rsa", "ssh-dss"],
        cipher: modern.cipher + ["aes256-cbc", "aes192-cbc", "aes128-cbc", "3des-cbc"],
        mac: modern.mac + ["hmac-sha1"])

    static func forEndpoint(_ endpoint: SSHEndpoint) -> AlgorithmPreferences {
        endpoint.allowsLegacyAlgorithms ? legacy : modern
    }

    /// libssh2_session_method_pref(3), for every class, before libssh2_session_handshake(3).
    func apply(to session: LibSSH2Session) throws(SSHError) {
        for kind in Kind.allCases {
            let list = self[kind].joined(separator: ",")
            for type in kind.methodTypes {
                let rc = libssh2_session_method_pref(session.raw, type, list)
                guard rc == 0 else {
                    throw SSHError(.handshake, about: session.label, "libssh2 \(LibSSH2Runtime.version) accepts no \(kind.name) of \(list) (\(rc))")
                }
            }
        }
    }

    /// After a failed handshake: the first class libssh2 found nothing in common for, from what
    /// it agreed on before it stopped (libssh2_session_methods(3)); nil when it agreed on all.
    /// Key exchange and host key type are agreed together: no agreed key exchange may mean either.
    static func unagreed(in session: LibSSH2Session) -> Kind? {
        for kind in [Kind.keyExchange, .cipher, .mac] {
            for type in kind.methodTypes where libssh2_session_methods(session.raw, type) == nil {
                return kind
            }
        }
        return nil
    }

    /// The algorithms of one class the linked libssh2 supports: libssh2_session_supported_algs(3).
    static func supported(_ kind: Kind, by session: LibSSH2Session) -> Set<String> {
        var list: UnsafeMutablePointer<UnsafePointer<CChar>?>?
        let count = libssh2_session_supported_algs(session.raw, kind.methodTypes[0], &list)
        guard count > 0, let list else { return [] }
        defer { libssh2_free(session.raw, list) }
        return Set((0..<Int(count)).compactMap { list[$0].map { String(cString: $0) } })
    }

    /// What the session agreed on for one class, after the handshake: libssh2_session_methods(3).
    static func agreed(_ kind: Kind, in session: LibSSH2Session) -> String? {
        libssh2_session_methods(session.raw, kind.methodTypes[0]).map { String(cString: $0) }
    }
}
