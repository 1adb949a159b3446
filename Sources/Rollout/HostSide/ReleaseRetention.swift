import Release

/// Which releases a host lets go when a deploy prunes (`keep_releases`): never a protected one
/// (the release now current, the one it was switched from, which is the way back, and any a
/// blue/green slot holds); of the rest, releases a rollback went back from (failed ones) go
/// first, oldest first, then the oldest good ones, until `keep` are left.
struct ReleaseRetention: Sendable, Hashable {
    /// Release directories on the host, oldest first.
    var releases: [ReleaseID]
    var keep: Int
    var protected: Set<ReleaseID>
    /// The host's journal: what was rolled back from.
    var journal: [JournalEntry]

    /// The releases to remove, in the order they go.
    var removable: [ReleaseID] {
        let excess = releases.count - keep
        guard excess > 0 else { return [] }
        let failed = Set(journal.filter { $0.step == .rollback }.compactMap { $0.release("from") })
        let candidates = releases.filter { !protected.contains($0) }
        let ordered = candidates.filter { failed.contains($0) } + candidates.filter { !failed.contains($0) }
        return Array(ordered.prefix(excess))
    }
}
