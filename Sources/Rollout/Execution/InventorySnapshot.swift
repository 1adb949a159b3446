import Synchronization

/// The inventory (and the ssh_config it resolves through) as a run first read it: every later
/// load of the same selection in that run answers from it, so the confirmation, the
/// environment, the plan and the deploy all see one version of the files, read once.
///
/// A verb reads the inventory several times (the production confirmation, the environment for
/// the ledger and notifications, the plan, the run itself): without a snapshot each read
/// parsed the files again, ran nothing new (``MatchExecRunner`` already runs each `Match exec`
/// once), and could see a file edited in between, so that the hosts confirmed were not the
/// hosts deployed. Shared by identity through ``ConnectionSettings/inventorySnapshot``; the
/// CLI makes one per process (one verb), callers that make none read the files every time.
/// A failed load is kept too: the run gets the same error wherever it asks.
public final class InventorySnapshot: Sendable, Hashable {
    /// What a load depends on: the inventory file as resolved, the ssh_config, the `--limit`.
    struct Key: Hashable {
        let inventoryPath: String
        let sshConfigPath: String?
        let limit: String?
    }

    private let loads = Mutex([Key: Result<FleetSelection, RolloutError>]())

    public init() {}

    /// The selection for `key`: the one kept, else `load()`'s, kept for the next ask. Two
    /// concurrent first asks may both load; the first kept is the one every caller gets.
    func selection(_ key: Key, load: () async -> Result<FleetSelection, RolloutError>) async -> Result<FleetSelection, RolloutError> {
        if let kept = loads.withLock({ $0[key] }) { return kept }
        let loaded = await load()
        return loads.withLock { loads in
            if let kept = loads[key] { return kept }
            loads[key] = loaded
            return loaded
        }
    }

    public static func == (lhs: InventorySnapshot, rhs: InventorySnapshot) -> Bool { lhs === rhs }
    public func hash(into hasher: inout Hasher) { hasher.combine(ObjectIdentifier(self)) }
}
