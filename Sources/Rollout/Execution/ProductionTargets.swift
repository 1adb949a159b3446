import Diagnostics
import Fleet

/// Hosts marked as production: every selected host when the run's environment (the inventory's
/// `environment:` or `--environment`) is `production` or `prod`, else a host with a label or a
/// variable `env` or `environment` whose value is one of those. A deploy, resume or rollback
/// that touches one needs a confirmation (`--yes`, or typing "yes" at a terminal).
public enum ProductionTargets {
    public static let keys = ["env", "environment"]
    public static let values = ["production", "prod"]

    /// The selected hosts that are production targets, in inventory order.
    public static func hosts(_ settings: ConnectionSettings) async throws(RolloutError) -> [String] {
        let selection = try await FleetSelection.load(settings)
        let environment = try FleetEnvironment.resolve(inventory: selection.inventory, option: settings.environment)
        if EnvironmentName.isProduction(environment) { return selection.hosts.map(\.name) }
        return selection.hosts.filter(isProduction).map(\.name)
    }

    static func isProduction(_ host: Fleet.Host) -> Bool {
        keys.contains { key in
            guard let value = host.labels[key] ?? host.vars[key]?.description else { return false }
            return values.contains(value.lowercased())
        }
    }
}
