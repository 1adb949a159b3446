import Diagnostics
import Fleet
import Release

/// Where `hooks.migrate` may run, decided before any host is touched: the selected hosts of
/// `on:` (a host or group name), else of the inventory group `migrate` when it has selected
/// hosts, else the first wave's hosts; in that order, the first that was pushed to runs it.
struct MigrationPlacement: Sendable, Hashable {
    /// Candidate host names, in the order they are tried.
    let candidates: [String]
    /// What chose them, for messages: `on: db-1`, `group migrate`, `the first wave`.
    let chosenBy: String

    /// Nil when the playbook has no migration. A `on:` that names no host or group of the
    /// inventory, or none of the selected hosts, is a configuration error.
    init?(_ migration: Migration?, selection: FleetSelection, firstWave: [String]) throws(RolloutError) {
        guard let migration else { return nil }
        let selected = Set(selection.hosts.map(\.name))
        if let name = migration.on {
            let inventory = selection.inventory
            guard inventory.host(named: name) != nil || inventory.groups[name] != nil else {
                throw .configuration(Self.error(
                    "hooks.migrate.on names '\(name)', which is neither a host nor a group of \(inventory.path)"
                        + Suggestion.hint(for: name, in: inventory.hosts.map(\.name) + inventory.groupOrder), migration))
            }
            let members = ((try? inventory.select(name)) ?? []).map(\.name).filter(selected.contains)
            guard !members.isEmpty else {
                throw .configuration(Self.error(
                    "hooks.migrate.on names '\(name)', which has no selected host (--limit leaves it out): the migration would have nowhere to run", migration))
            }
            candidates = members
            chosenBy = "on: \(name)"
            return
        }
        if selection.inventory.groups[Migration.defaultGroup] != nil,
           case let members = ((try? selection.inventory.select(Migration.defaultGroup)) ?? []).map(\.name).filter(selected.contains),
           !members.isEmpty {
            candidates = members
            chosenBy = "group \(Migration.defaultGroup)"
            return
        }
        candidates = firstWave
        chosenBy = "the first wave"
    }

    private static func error(_ message: String, _ migration: Migration) -> DiagnosticError {
        guard let location = migration.location else { return DiagnosticError(.error(message)) }
        let line = SourceText.quotedLine(location.line, path: location.file)
        return DiagnosticError(.error(message, at: location, sourceLine: line))
    }
}
