import Diagnostics

/// Which names' ssh_config lookups may run `Match exec` commands: those of the hosts a run
/// connects to, the hosts `--limit` selects and every hop of their jump chains (inventory hosts
/// and `ProxyJump` hops as written).
///
/// A chain may itself depend on what a `Match exec` decides, so the set grows to a fixed point:
/// assemble the inventory with commands allowed for the set so far, add the hops the selected
/// hosts now go through, until nothing is added. Trial assemblies report to a scratch collector,
/// and the run's ``MatchExecRunner`` keeps each outcome, so no command runs twice. A hop named
/// only while a command had not run yet stays in the set: its commands may run although, in the
/// end, no selected host goes through it.
enum MatchExecScope {
    /// The names for `limit`; nil (every host) when there is no `--limit`. A `--limit` that does
    /// not parse or matches nothing lets no command run: the caller reports it.
    static func names(draft: InventoryDraft, limit: String?,
                      lookup: @escaping (_ name: String, _ runsCommands: Bool) -> ConnectionSettings) -> Set<String>? {
        guard let limit else { return nil }
        var scope: Set<String> = []
        // Each round adds at least one name; a chain deeper than this is not a real fleet.
        for _ in 0..<32 {
            var trial = InventoryAssembler(draft: draft, collector: DiagnosticCollector())
            trial.sshLookup = lookup
            trial.connecting = scope
            let inventory = trial.assemble()
            guard let selected = try? inventory.select(limit) else { return scope }
            var next = scope
            for host in selected {
                next.insert(host.name)
                for hop in inventory.jumpChain(for: host) { next.insert(hop.name) }
            }
            if next == scope { break }
            scope = next
        }
        return scope
    }
}
