import Diagnostics
import Fleet
import Foundation

/// Loads the inventory and selects the hosts of a run; every mistake becomes a configuration
/// error, and the warnings go to the settings' ``WarningObserver``.
struct FleetSelection: Sendable {
    let inventory: Inventory
    let hosts: [Fleet.Host]

    init(_ settings: ConnectionSettings) throws(RolloutError) {
        let path = Self.resolve(settings.inventoryPath)
        guard FileManager.default.fileExists(atPath: path) else {
            let name = settings.inventoryPath
            throw .configuration(DiagnosticError(.error(
                "no inventory '\(name)' (looked for \(name) and Inventories/\(name).yml, .yaml, .ini); pass -i FILE or set CUTOVER_INVENTORY")))
        }
        do {
            // `Match exec` runs for the selected hosts only, within the connect timeout.
            inventory = try InventoryLoader.load(
                path: path, sshConfigPath: settings.sshConfigPath, limit: settings.limit,
                matchExec: settings.matchExec ?? MatchExecRunner(), matchExecTimeout: settings.connectTimeout)
        } catch {
            throw RolloutError.configuration(error)
        }
        settings.warningObserver?.hear(inventory.warnings)
        do {
            hosts = try inventory.select(settings.limit)
        } catch {
            // `--limit` is a command-line argument: a term that matches nothing is a usage error.
            throw RolloutError.usage(error.description)
        }
    }

    /// Loads on a thread of its own: ssh_config's `Match exec` commands are waited for there
    /// (each at most the connect timeout), never on the cooperative pool.
    static func load(_ settings: ConnectionSettings) async throws(RolloutError) -> FleetSelection {
        let loaded: Result<FleetSelection, RolloutError> = await withCheckedContinuation { continuation in
            let thread = Thread {
                continuation.resume(returning: Result { () throws(RolloutError) -> FleetSelection in try FleetSelection(settings) })
            }
            thread.name = "cutover inventory"
            thread.start()
        }
        return try loaded.get()
    }

    /// A path as given, or a bare name looked up in `Inventories/` (`prod` → `Inventories/prod.yml`).
    static func resolve(_ name: String) -> String {
        if name.contains("/") || FileManager.default.fileExists(atPath: name) { return name }
        for suffix in ["", ".yml", ".yaml", ".ini"] {
            let candidate = "Inventories/\(name)\(suffix)"
            if FileManager.default.fileExists(atPath: candidate) { return candidate }
        }
        return name
    }
}
