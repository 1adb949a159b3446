import Diagnostics
import Fleet

/// Loads the inventory and selects the hosts of a run; every mistake becomes a configuration error.
struct FleetSelection {
    let inventory: Inventory
    let hosts: [Host]

    init(_ settings: ConnectionSettings) throws(RolloutError) {
        do {
            inventory = try InventoryLoader.load(path: settings.inventoryPath, sshConfigPath: settings.sshConfigPath)
            hosts = try inventory.select(settings.limit)
        } catch {
            throw RolloutError.configuration(error)
        }
    }
}
