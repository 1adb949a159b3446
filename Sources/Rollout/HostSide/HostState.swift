import Release

/// What a host says about one app's deploy root: parsed from ``RemoteScripts/probe``.
///
/// Every release name here is a ``ReleaseID``, every journal entry and lock field is shaped as
/// Cutover writes it (checked where it is parsed, ``parse(_:)``); what is not is listed in
/// ``unrecognised`` and never reaches a decision or a script.
struct HostState: Sendable, Hashable {
    /// The release `current` points at (its directory name), nil when there is none or it
    /// points at something that is not a release id.
    var current: ReleaseID?
    /// Release directories on disk, oldest first.
    var releases: [ReleaseID]
    /// The lock file's fields, nil when unlocked.
    var lock: [String: String]?
    /// The last journal entries, oldest first.
    var journal: [JournalEntry]
    var hasTar: Bool
    /// Blue/green: the release each slot points at.
    var slots: [Slot: ReleaseID] = [:]
    /// Blue/green: the slot serving traffic, nil when the host never switched slots.
    var liveSlot: Slot?
    /// What the host holds that Cutover did not make, as found (`releases/NAME`,
    /// `current -> TARGET`, `journal: LINE`, `lock: KEY=VALUE`): shown by `status`, never acted on.
    var unrecognised: [String] = []
    /// The artifact sha256 recorded when Cutover extracted each release (`.cutover/releases/<id>.sha256`).
    /// A release directory without one, or with another artifact's, is not trusted.
    var manifests: [ReleaseID: String] = [:]

    /// Whether `releases/<release>` is on the host and was extracted from the artifact with this sha256.
    func holds(_ release: ReleaseID, sha256: String) -> Bool {
        releases.contains(release) && manifests[release] == sha256
    }

    /// Blue/green: the slot not serving traffic (blue when none serves yet).
    var idleSlot: Slot { liveSlot?.other ?? .blue }

    /// The release the host ran before `current`: the `from` of the journal's last switch to
    /// it. A release that was rolled back from is never offered. Nil when the host has no
    /// earlier release to go back to (e.g. `current` was its first).
    var previous: ReleaseID? {
        guard let current else { return nil }
        if let entry = journal.last(where: { $0.step == .switch && $0.release("to") == current && $0.release("from") != current }) {
            guard let from = entry.release("from"), from != current, releases.contains(from) else { return nil }
            return from
        }
        // No switch to `current` in the journal (set up by hand, or the journal was cut short):
        // the newest other release that was never rolled back from.
        let bad = Set(journal.filter { $0.step == .rollback }.compactMap { $0.release("from") })
        return releases.last { $0 != current && !bad.contains($0) }
    }

    var lastStep: JournalEntry? { journal.last }

    /// True when the last change of `current` was a rollback to it: the host is already back
    /// from a release, and another `cutover rollback` must not take it one release further.
    var isRolledBack: Bool { lastRollback?.entry.fields["from"] != nil }

    /// The release the last rollback took this host back from, when the last change of
    /// `current` was that rollback (nil too when `current` was no release before it).
    var rolledBackFrom: ReleaseID? { lastRollback?.entry.release("from") }

    /// True when the last change of `current` was a rollback whose hook and checks never
    /// passed since (no `rollback-verified` of the current release after it, by that run or a
    /// later `cutover rollback` that finished it): the host is not done.
    var isRollbackUnverified: Bool {
        guard let (_, index) = lastRollback, let current else { return false }
        return !journal[(index + 1)...].contains { $0.step == .rollbackVerified && $0.release("release") == current }
    }

    private var lastRollback: (entry: JournalEntry, index: Int)? {
        guard let current,
              let index = journal.lastIndex(where: { $0.step.movesCurrent && $0.fields["to"] != $0.fields["from"] }),
              journal[index].step == .rollback, journal[index].release("to") == current
        else { return nil }
        return (journal[index], index)
    }

    /// Releases in the order they arrived on the host (its journal's `extract` entries); those
    /// the journal no longer shows come first, in the listing's order. `ls -tr` alone orders by
    /// directory mtime, which tar sets from the archive: the build time, not the deploy's.
    static func arrivalOrder(_ releases: [ReleaseID], journal: [JournalEntry]) -> [ReleaseID] {
        var arrived: [ReleaseID: Int] = [:]
        for (index, entry) in journal.enumerated() where entry.step == .extract {
            if let release = entry.release("release") { arrived[release] = index }
        }
        return releases.enumerated()
            .sorted { (arrived[$0.element] ?? -1, $0.offset) < (arrived[$1.element] ?? -1, $1.offset) }
            .map(\.element)
    }
}
