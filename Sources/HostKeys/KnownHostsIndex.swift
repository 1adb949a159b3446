/// One parsed known_hosts file, indexed for lookups by host name; an immutable snapshot.
///
/// Plain names and `[name]:port` elements without wildcards are keys of a dictionary. Lines with a
/// hashed (`|1|`) or wildcard element cannot be indexed by name (a hash is salted per line, a pattern
/// matches many names), so they are kept in a list that every lookup still checks. Revoked keys are
/// indexed by key blob, since a revocation applies whatever the hosts field says.
///
/// - Important: Immutable and `Sendable`: one snapshot is shared by every session thread.
struct KnownHostsIndex: Sendable {
    /// The parsed file the index was built from.
    let file: KnownHostsFile
    /// Positions in `file.entries` of ordinary and `@cert-authority` lines, by literal lookup name.
    private let byName: [String: [Int]]
    /// Positions of ordinary and `@cert-authority` lines with a hashed or wildcard element, in file order.
    private let unindexed: [Int]
    /// The first `@revoked` line for each key blob.
    private let revokedByBlob: [[UInt8]: Int]

    /// Indexes `file`; lines whose only elements are negated can never match and are left out.
    init(_ file: KnownHostsFile) {
        var byName: [String: [Int]] = [:]
        var unindexed: [Int] = []
        var revokedByBlob: [[UInt8]: Int] = [:]
        for (position, entry) in file.entries.enumerated() {
            if entry.marker == .revoked {
                if revokedByBlob[entry.key.blob] == nil { revokedByBlob[entry.key.blob] = position }
                continue
            }
            let positive = entry.patterns.filter { !$0.negated }
            let literals = positive.compactMap(\.literalName)
            if literals.count < positive.count {
                unindexed.append(position)
            } else {
                for name in Set(literals) { byName[name, default: []].append(position) }
            }
        }
        self.file = file
        self.byName = byName
        self.unindexed = unindexed
        self.revokedByBlob = revokedByBlob
    }

    /// The first `@revoked` line carrying `key`, if any.
    func revokedEntry(for key: HostKey) -> KnownHostsEntry? {
        revokedByBlob[key.blob].map { file.entries[$0] }
    }

    /// The ordinary and `@cert-authority` lines that apply to the address, in file order.
    ///
    /// Candidates come from the name dictionary and the unindexed list; each is then matched in full,
    /// so negated elements and first-match order behave exactly as a scan of every line would.
    func matchingEntries(for address: HostAddress) -> [KnownHostsEntry] {
        let name = address.lookupName
        let named = byName[name] ?? []
        var result: [KnownHostsEntry] = []
        var n = 0, u = 0
        while n < named.count || u < unindexed.count {
            let position: Int
            if u == unindexed.count || (n < named.count && named[n] < unindexed[u]) {
                position = named[n]
                n += 1
            } else {
                position = unindexed[u]
                u += 1
            }
            let entry = file.entries[position]
            if entry.matches(lookupName: name) { result.append(entry) }
        }
        return result
    }
}
