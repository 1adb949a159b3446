/// Checks a server's host key against a pinned fingerprint or OpenSSH known_hosts files.
public struct HostKeyVerifier: Sendable {
    /// The known_hosts files searched, in order; accept-new appends to the first.
    public let knownHostsFiles: [String]
    /// What to do with hosts that have no entry.
    public let policy: HostKeyPolicy
    /// A `SHA256:…` fingerprint that, when set, replaces known_hosts checking entirely.
    public let pinnedFingerprint: String?

    /// Creates a verifier; nothing is read until `verify` is called.
    public init(knownHostsFiles: [String], policy: HostKeyPolicy, pinnedFingerprint: String?) {
        self.knownHostsFiles = knownHostsFiles
        self.policy = policy
        self.pinnedFingerprint = pinnedFingerprint
    }

    /// Decides whether `key`, offered by `host` on `port`, is trusted; throws a `HostKeyError` explaining any refusal.
    public func verify(host: String, port: Int, key: HostKey) throws(HostKeyError) -> HostKeyTrust {
        let address = HostAddress(host: host, port: port)
        if let pinnedFingerprint {
            return try FingerprintPin(pinnedFingerprint).check(key, for: address)
        }
        let verdict = try lookup().verdict(for: address, key: key)
        if case .unknown = verdict, policy == .acceptNew {
            return try acceptNew(address: address, key: key)
        }
        return try HostKeyRefusal.trust(for: verdict, address: address, key: key, files: knownHostsFiles)
    }

    /// Loads every configured file (missing files count as empty).
    private func lookup() throws(HostKeyError) -> KnownHostsLookup {
        var files: [KnownHostsFile] = []
        for path in knownHostsFiles {
            files.append(try KnownHostsFile.load(path: path))
        }
        return KnownHostsLookup(files: files)
    }

    /// Appends the key to the first file under lock, re-checking first so concurrent callers append once.
    private func acceptNew(address: HostAddress, key: HostKey) throws(HostKeyError) -> HostKeyTrust {
        guard let first = knownHostsFiles.first else {
            throw HostKeyError(code: .io, description: "host_key_policy accept-new needs a known_hosts file, but none is configured")
        }
        guard address.isWritable else {
            throw HostKeyError(code: .malformed, description: "host name \"\(address.host)\" cannot be written to known_hosts")
        }
        let target = KnownHostsFile.expandedPath(first)
        return try KnownHostsAppender.withExclusiveAccess(to: target) { file throws(HostKeyError) in
            let verdict = try lookup().verdict(for: address, key: key)
            guard case .unknown = verdict else {
                return try HostKeyRefusal.trust(for: verdict, address: address, key: key, files: knownHostsFiles)
            }
            try file.append(line: "\(address.lookupName) \(key.knownHostsType) \(key.base64Blob)")
            return .addedNew(file: target)
        }
    }
}
