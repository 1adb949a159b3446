import Release

/// What a host says about one app's deploy root: parsed from ``RemoteScripts/probe(_:)``.
struct HostState: Sendable, Hashable {
    /// The release `current` points at (its directory name), nil when there is none.
    var current: String?
    /// Release directories on disk, oldest first.
    var releases: [String]
    /// The lock file's fields, nil when unlocked.
    var lock: [String: String]?
    /// The last journal entries, oldest first.
    var journal: [JournalEntry]
    /// Free space on the deploy root's filesystem, in KiB.
    var freeKiB: Int?
    var hasTar: Bool
    /// Blue/green: the release each slot points at.
    var slots: [Slot: String] = [:]
    /// Blue/green: the slot serving traffic, nil when the host never switched slots.
    var liveSlot: Slot?
    /// The artifact sha256 recorded when Cutover extracted each release (`.cutover/releases/<id>.sha256`).
    /// A release directory without one, or with another artifact's, is not trusted.
    var manifests: [String: String] = [:]

    /// Whether `releases/<release>` is on the host and was extracted from the artifact with this sha256.
    func holds(_ release: String, sha256: String) -> Bool {
        releases.contains(release) && manifests[release] == sha256
    }

    /// Blue/green: the slot not serving traffic (blue when none serves yet).
    var idleSlot: Slot { liveSlot?.other ?? .blue }

    /// The release the host ran before `current`: the `from` of the journal's last switch to
    /// it. A release that was rolled back from is never offered. Nil when the host has no
    /// earlier release to go back to (e.g. `current` was its first).
    var previous: String? {
        guard let current else { return nil }
        if let entry = journal.last(where: { $0.step == "switch" && $0.fields["to"] == current && $0.fields["from"] != current }) {
            let from = entry.fields["from"] ?? ""
            return !from.isEmpty && from != current && releases.contains(from) ? from : nil
        }
        // No switch to `current` in the journal (set up by hand, or the journal was cut short):
        // the newest other release that was never rolled back from.
        let bad = Set(journal.filter { $0.step == "rollback" }.compactMap { $0.fields["from"] })
        return releases.last { $0 != current && !bad.contains($0) }
    }

    var lastStep: JournalEntry? { journal.last }

    /// True when the last change of `current` was a rollback to it: the host is already back
    /// from a release, and another `cutover rollback` must not take it one release further.
    var isRolledBack: Bool { rolledBackFrom != nil }

    /// The release the last rollback took this host back from, when the last change of
    /// `current` was that rollback.
    var rolledBackFrom: String? { lastRollback?.entry.fields["from"] }

    /// True when the last change of `current` was a rollback whose hook and checks never
    /// passed since (no `rollback-verified` of the current release after it, by that run or a
    /// later `cutover rollback` that finished it): the host is not done.
    var isRollbackUnverified: Bool {
        guard let (_, index) = lastRollback, let current else { return false }
        return !journal[(index + 1)...].contains { $0.step == "rollback-verified" && $0.fields["release"] == current }
    }

    private var lastRollback: (entry: JournalEntry, index: Int)? {
        guard let current,
              let index = journal.lastIndex(where: { ($0.step == "switch" || $0.step == "rollback") && $0.fields["to"] != $0.fields["from"] }),
              journal[index].step == "rollback", journal[index].fields["to"] == current
        else { return nil }
        return (journal[index], index)
    }

    static func parse(_ output: String) -> HostState {
        var state = HostState(current: nil, releases: [], lock: nil, journal: [], freeKiB: nil, hasTar: false)
        var section = ""
        var lock: [String: String] = [:]
        for line in output.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if line.hasPrefix("@") { section = line; continue }
            switch section {
            case "@current":
                if let name = line.split(separator: "/").last, !line.isEmpty { state.current = String(name) }
            case "@releases":
                if !line.isEmpty && !line.hasPrefix(".") { state.releases.append(line) }
            case "@lock":
                if let eq = line.firstIndex(of: "=") { lock[String(line[..<eq])] = String(line[line.index(after: eq)...]) }
            case "@journal":
                if let entry = JournalEntry(line: line) { state.journal.append(entry) }
            case "@free":
                if let value = Int(line) { state.freeKiB = value }
            case "@tar":
                if line == "yes" { state.hasTar = true }
            case "@manifests":
                let parts = line.split(separator: " ").map(String.init)
                if parts.count == 2 { state.manifests[parts[0]] = parts[1] }
            case "@slots":
                let parts = line.split(separator: " ").map(String.init)
                guard parts.count == 2 else { break }
                if parts[0] == "live" { state.liveSlot = Slot(rawValue: parts[1]) }
                else if let slot = Slot(rawValue: parts[0]) { state.slots[slot] = parts[1] }
            default:
                break
            }
        }
        state.lock = lock.isEmpty ? nil : lock
        return state
    }
}
