/// Turns a known_hosts verdict into a trust result or an explanatory error.
enum HostKeyRefusal {
    /// Returns `.known` for a known key; throws the matching `HostKeyError` for every other verdict.
    static func trust(
        for verdict: KnownHostsLookup.Verdict, address: HostAddress, key: HostKey, files: [String]
    ) throws(HostKeyError) -> HostKeyTrust {
        let host = address.lookupName
        let offered = "\(key.algorithm) key \(key.fingerprint)"
        switch verdict {
        case .known(let located):
            return .known(file: located.file, line: located.entry.line)
        case .revoked(let located):
            throw HostKeyError(
                code: .revoked,
                description: "host key for \(host) is REVOKED: \(offered) is marked @revoked at \(located.position); refusing to connect")
        case .changed(let stored):
            let storedList = stored.map { "\($0.position) (\($0.entry.key.algorithm) \($0.entry.key.fingerprint))" }
            throw HostKeyError(
                code: .changed,
                description: "REMOTE HOST IDENTIFICATION HAS CHANGED for \(host): server offered \(offered), "
                    + "which does not match the stored key at \(storedList.joined(separator: ", ")). "
                    + "This may be a man-in-the-middle attack or a reinstalled host; verify the new key out of band, "
                    + "then remove the old entry (ssh-keygen -R \(host)). Cutover never replaces a stored key.")
        case .certAuthorityOnly(let lines):
            throw HostKeyError(
                code: .unsupported,
                description: "\(host) is covered only by @cert-authority lines (\(lines.map(\.position).joined(separator: ", "))); "
                    + "host certificates / @cert-authority are recognised but not supported by Cutover. "
                    + "Add a plain known_hosts entry for the host key (\(offered)) or pin it with host_key: \(key.fingerprint)")
        case .unknown:
            let searched = files.isEmpty ? "no known_hosts files configured" : "not in \(files.joined(separator: ", "))"
            throw HostKeyError(
                code: .unknownHost,
                description: "host \(host) is unknown (\(searched)); it offered \(offered). "
                    + "Add it with ssh-keyscan after verifying the fingerprint out of band, "
                    + "or use host_key_policy: accept-new / host_key: \(key.fingerprint)")
        }
    }
}
