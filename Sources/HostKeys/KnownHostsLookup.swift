/// Decides what the known_hosts files say about one host and offered key.
struct KnownHostsLookup {
    /// A known_hosts line together with the file it came from.
    struct Located: Sendable, Hashable {
        /// The file's path.
        var file: String
        /// The parsed line.
        var entry: KnownHostsEntry

        /// `file:line`, as shown in messages.
        var position: String { "\(file):\(entry.line)" }
    }

    /// The verdict for a host and key.
    enum Verdict {
        /// The key is listed on a matching ordinary line.
        case known(Located)
        /// The key appears on a `@revoked` line.
        case revoked(Located)
        /// The host has ordinary lines, none with the offered key.
        case changed([Located])
        /// The host is only covered by `@cert-authority` lines.
        case certAuthorityOnly([Located])
        /// Nothing mentions the host.
        case unknown
    }

    /// The indexed files searched, in order.
    var files: [KnownHostsIndex]

    /// Looks up in already indexed files (the usual way, through `KnownHostsCache`).
    init(indexes: [KnownHostsIndex]) {
        files = indexes
    }

    /// Indexes parsed files for one lookup.
    init(files: [KnownHostsFile]) {
        self.files = files.map(KnownHostsIndex.init)
    }

    /// Evaluates the offered key for the address: revocation first, then matching lines.
    ///
    /// A known key is decided by the lines carrying it; every matching line (each hashed and wildcard
    /// line checked) is only gathered when the key is not known, to explain the refusal.
    ///
    /// A host on another port than 22 with no line at all under `[host]:port` is then looked up
    /// under its bare name, as OpenSSH does ("checking without port identifier"): the key found
    /// there is accepted, anything else leaves the host unknown.
    func verdict(for address: HostAddress, key: HostKey) -> Verdict {
        let verdict = verdictAtLookupName(address, key: key)
        guard case .unknown = verdict, address.port != 22 else { return verdict }
        if case .known(let located) = verdictAtLookupName(HostAddress(host: address.host, port: 22), key: key) {
            return .known(located)
        }
        return verdict
    }

    private func verdictAtLookupName(_ address: HostAddress, key: HostKey) -> Verdict {
        for index in files {
            if let revoked = index.revokedEntry(for: key) {
                return .revoked(Located(file: index.file.path, entry: revoked))
            }
        }
        for index in files {
            if let known = index.knownEntry(for: address, key: key) {
                return .known(Located(file: index.file.path, entry: known))
            }
        }
        let matching = files.flatMap { index in
            index.matchingEntries(for: address).map { Located(file: index.file.path, entry: $0) }
        }
        let plain = matching.filter { $0.entry.marker == nil }
        if let known = plain.first(where: { $0.entry.key.blob == key.blob }) {
            return .known(known)
        }
        if !plain.isEmpty { return .changed(plain) }
        if !matching.isEmpty { return .certAuthorityOnly(matching) }
        return .unknown
    }
}
