/// Checks a server's host key against a pinned fingerprint or OpenSSH known_hosts files.
public struct HostKeyVerifier: Sendable {
    /// The known_hosts files searched, in order; accept-new appends to the first.
    public let knownHostsFiles: [String]
    /// What to do with hosts that have no entry.
    public let policy: HostKeyPolicy
    /// A `SHA256:…` fingerprint that, when set, replaces known_hosts checking entirely.
    public let pinnedFingerprint: String?
    /// Where parsed known_hosts files are kept between verifications.
    let cache: KnownHostsCache

    /// Creates a verifier; nothing is read until `verify` is called.
    ///
    /// Files are parsed once per process and shared by every verifier (`KnownHostsCache.shared`);
    /// a file is read again only when it changed on disk.
    public init(knownHostsFiles: [String], policy: HostKeyPolicy, pinnedFingerprint: String?) {
        self.init(knownHostsFiles: knownHostsFiles, policy: policy, pinnedFingerprint: pinnedFingerprint, cache: .shared)
    }

    /// Creates a verifier with its own cache (tests count its parses).
    init(knownHostsFiles: [String], policy: HostKeyPolicy, pinnedFingerprint: String?, cache: KnownHostsCache) {
        self.knownHostsFiles = knownHostsFiles
        self.policy = policy
        self.pinnedFingerprint = pinnedFingerprint
        self.cache = cache
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

    /// Every configured file, from the cache (missing files count as empty).
    private func lookup() throws(HostKeyError) -> KnownHostsLookup {
        var indexes: [KnownHostsIndex] = []
        for path in knownHostsFiles {
            indexes.append(try cache.index(path: path))
        }
        return KnownHostsLookup(indexes: indexes)
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
            let line = "\(address.lookupName) \(key.knownHostsType) \(key.base64Blob)"
            try file.append(line: line)
            cache.recordAppend(path: target, line: line)
            return .addedNew(file: target)
        }
    }
}
