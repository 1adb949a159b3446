/// One parsed known_hosts file, indexed for lookups by host name; an immutable snapshot.
///
/// Plain names and `[name]:port` elements without wildcards are keys of a dictionary. Lines with a
/// hashed (`|1|`) or wildcard element cannot be indexed by name (a hash is salted per line, a pattern
/// matches many names), so they are kept in a list that a full lookup still checks. The same lines are
/// also indexed by key blob: a host whose offered key is known (the common case) is decided by the
/// lines that carry that key, so it costs one HMAC per hashed line with that key, not one per hashed
/// line in the file. Revoked keys are indexed by blob too, since a revocation applies whatever the
/// hosts field says.
///
/// - Important: Immutable and `Sendable`: one snapshot is shared by every session thread.
struct KnownHostsIndex: Sendable {
    /// The parsed file the index was built from.
    private(set) var file: KnownHostsFile
    /// Positions in `file.entries` of ordinary and `@cert-authority` lines, by literal lookup name.
    private var byName: [String: [Int]] = [:]
    /// Positions of ordinary and `@cert-authority` lines with a hashed or wildcard element, in file order.
    private var unindexed: [Int] = []
    /// Positions of ordinary lines with a hashed or wildcard element, by key blob, in file order.
    private var unindexedByBlob: [[UInt8]: [Int]] = [:]
    /// The first `@revoked` line for each key blob.
    private var revokedByBlob: [[UInt8]: Int] = [:]

    /// Indexes `file`; lines whose only elements are negated can never match and are left out.
    init(_ file: KnownHostsFile) {
        self.file = file
        for position in file.entries.indices { index(position) }
    }

    /// The index with `entry` added as the file's last line (a line Cutover appended itself).
    func appending(_ entry: KnownHostsEntry) -> KnownHostsIndex {
        var index = self
        index.file.entries.append(entry)
        index.index(index.file.entries.count - 1)
        return index
    }

    /// Adds the entry at `position` to the lookup tables.
    private mutating func index(_ position: Int) {
        let entry = file.entries[position]
        if entry.marker == .revoked {
            if revokedByBlob[entry.key.blob] == nil { revokedByBlob[entry.key.blob] = position }
            return
        }
        let positive = entry.patterns.filter { !$0.negated }
        let literals = positive.compactMap(\.literalName)
        if literals.count < positive.count {
            unindexed.append(position)
            if entry.marker == nil { unindexedByBlob[entry.key.blob, default: []].append(position) }
        } else {
            for name in Set(literals) { byName[name, default: []].append(position) }
        }
    }

    /// The first `@revoked` line carrying `key`, if any.
    func revokedEntry(for key: HostKey) -> KnownHostsEntry? {
        revokedByBlob[key.blob].map { file.entries[$0] }
    }

    /// The first ordinary line that applies to the address and carries `key`, if any.
    ///
    /// The same line a scan of `matchingEntries` would find first with that key, found by checking
    /// only the lines with that name or that key.
    func knownEntry(for address: HostAddress, key: HostKey) -> KnownHostsEntry? {
        let name = address.lookupName
        let named = (byName[name] ?? []).filter { position in
            file.entries[position].marker == nil && file.entries[position].key.blob == key.blob
        }
        return Self.inFileOrder(named, unindexedByBlob[key.blob] ?? [])
            .lazy.map { file.entries[$0] }
            .first { $0.matches(lookupName: name) }
    }

    /// The ordinary and `@cert-authority` lines that apply to the address, in file order.
    ///
    /// Candidates come from the name dictionary and the unindexed list; each is then matched in full,
    /// so negated elements and first-match order behave exactly as a scan of every line would.
    func matchingEntries(for address: HostAddress) -> [KnownHostsEntry] {
        let name = address.lookupName
        return Self.inFileOrder(byName[name] ?? [], unindexed)
            .map { file.entries[$0] }
            .filter { $0.matches(lookupName: name) }
    }

    /// Merges two ascending position lists into one.
    private static func inFileOrder(_ named: [Int], _ unindexed: [Int]) -> [Int] {
        var result: [Int] = []
        result.reserveCapacity(named.count + unindexed.count)
        var n = 0, u = 0
        while n < named.count || u < unindexed.count {
            if u == unindexed.count || (n < named.count && named[n] < unindexed[u]) {
                result.append(named[n])
                n += 1
            } else {
                result.append(unindexed[u])
                u += 1
            }
        }
        return result
    }
}
