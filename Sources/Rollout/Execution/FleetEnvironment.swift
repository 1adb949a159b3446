import Diagnostics
import Fleet

/// The environment a run acts on: the one the inventory names (`environment: staging` at its
/// top level), or `--environment` for an inventory that cannot name one (Ansible's), or
/// `default` when neither does.
///
/// When both name one and they differ, the run is refused (a usage error, exit 64) before
/// anything is touched: an inventory of staging hosts deployed "as production" (or the other
/// way round) would file its records, its promotion evidence and its rollback targets under the
/// wrong environment, so Cutover never guesses which of the two was meant.
public enum FleetEnvironment {
    /// The environment of the inventory and selection `settings` name.
    public static func resolve(_ settings: ConnectionSettings) async throws(RolloutError) -> String {
        try resolve(inventory: await FleetSelection.load(settings).inventory, option: settings.environment)
    }

    static func resolve(inventory: Inventory, option: String?) throws(RolloutError) -> String {
        try resolve(named: inventory.environment, at: inventory.environmentLocation?.description ?? inventory.path, option: option)
    }

    /// `named`: what the inventory says (written at `location`); `option`: `--environment`.
    public static func resolve(named: String?, at location: String, option: String?) throws(RolloutError) -> String {
        if let option {
            guard EnvironmentName.isValid(option) else { throw .usage("--environment: " + EnvironmentName.invalidMessage(option)) }
            if let named, named != option {
                throw .usage("--environment \(option) disagrees with the inventory, which names environment '\(named)' (\(location)): nothing was done; drop --environment, or use the inventory of \(option)")
            }
            return option
        }
        return named ?? EnvironmentName.unnamed
    }
}
