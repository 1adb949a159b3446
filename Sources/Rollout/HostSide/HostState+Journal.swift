import Release

/// What a host's journal says about one deploy: the answers `resume` relies on, shared by the
/// real and the simulated host.
extension HostState {
    /// The wave in which a deploy verified `release` on this host, when the host still runs it
    /// and nothing switched it since; nil otherwise.
    func verifiedWave(of release: ReleaseID) -> Int? {
        guard current == release, liveSlot == nil else { return nil }
        let lastChange = journal.lastIndex { $0.step.movesCurrent } ?? -1
        return journal[(lastChange + 1)...].last {
            $0.step == .waveVerified && $0.release("release") == release
        }.flatMap { $0.fields["wave"].flatMap(Int.init) }
    }

    /// The journal entry of `deploy`'s migration of `release` on this host, when it ran here and passed.
    func migration(of release: ReleaseID, by deploy: String) -> JournalEntry? {
        journal.last { $0.step == .migrate && $0.deploy == deploy && $0.release("release") == release }
    }

    /// The journal entry of `deploy` switching (or staging) `release` on this host: proof that
    /// its migration passed, since a migration runs before any host switches.
    func switchEntry(to release: ReleaseID, by deploy: String) -> JournalEntry? {
        journal.last {
            $0.deploy == deploy
                && (($0.step == .switch && $0.release("to") == release) || ($0.step == .stage && $0.release("release") == release))
        }
    }
}
