import Release

/// What `cutover rollback` does on one host, decided from the state the host reported: the
/// release it goes to, or why it stays. Pure, so every case is a table row (`RollbackChoiceTests`).
enum RollbackChoice: Sendable, Hashable {
    /// Switch back to `destination` (run on_rollback or activate, then the policy's checks).
    /// `finishing`: an earlier rollback already switched it there but never verified it.
    case rollBack(to: ReleaseID, finishing: Bool)
    /// Nothing to go back to (its first release, or no journal to tell).
    case nowhere
    /// Already on the destination (an earlier rollback took it there, `from`: what it left).
    case alreadyOn(ReleaseID, from: ReleaseID?)
    /// The destination is not on this host.
    case missing(ReleaseID)

    /// `target`: the release asked for (`--to`, the ledger's known-good one), nil for each
    /// host's previous release. `settled`: releases an earlier rollback took hosts back to:
    /// a host on one of them stays, so running `rollback` twice never goes two releases back.
    init(state: HostState, target: ReleaseID?, settled: Set<ReleaseID>) {
        // A host an earlier rollback switched back whose hook or checks never passed stays
        // where it is and has them run again.
        let finishing = state.current == (target ?? state.current) && state.isRollbackUnverified
        let stays = finishing || (target == nil && state.current.map(settled.contains) == true)
        guard let destination = target ?? (stays ? state.current : state.previous) else {
            self = .nowhere
            return
        }
        if destination == state.current && !finishing {
            self = .alreadyOn(destination, from: state.rolledBackFrom)
        } else if !state.releases.contains(destination) {
            self = .missing(destination)
        } else {
            self = .rollBack(to: destination, finishing: finishing)
        }
    }

    /// Releases an earlier rollback took hosts back to, among the states read.
    static func settled(_ states: some Collection<HostState>) -> Set<ReleaseID> {
        Set(states.filter(\.isRolledBack).compactMap(\.current))
    }
}
