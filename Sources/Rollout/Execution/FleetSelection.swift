import Diagnostics
import Fleet
import Foundation
import Synchronization

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

    /// The run's selection: with ``ConnectionSettings/inventorySnapshot``, the one loaded
    /// before in the run when there is one (the files are read once per run).
    static func load(_ settings: ConnectionSettings) async throws(RolloutError) -> FleetSelection {
        guard let snapshot = settings.inventorySnapshot else { return try await read(settings).get() }
        let key = InventorySnapshot.Key(inventoryPath: resolve(settings.inventoryPath), sshConfigPath: settings.sshConfigPath, limit: settings.limit)
        return try await snapshot.selection(key) { await read(settings) }.get()
    }

    /// Reads the files on a thread of its own: ssh_config's `Match exec` commands are waited
    /// for there (each at most the connect timeout), never on the cooperative pool. Cancelling
    /// the task (Ctrl-C) answers at once, even while a read blocks (an inventory from a pipe
    /// whose writer is slow): the thread is left to finish, and its answer is dropped.
    private static func read(_ settings: ConnectionSettings) async -> Result<FleetSelection, RolloutError> {
        let answer = Answer()
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                guard answer.wait(continuation) else { return }
                let thread = Thread {
                    answer.give(Result { () throws(RolloutError) -> FleetSelection in try FleetSelection(settings) })
                }
                thread.name = "cutover inventory"
                thread.start()
            }
        } onCancel: {
            answer.give(.failure(.interrupted("interrupted while reading the inventory '\(settings.inventoryPath)': no host was touched")))
        }
    }

    /// The first of the read's result and the cancellation, handed to the waiting task once.
    private final class Answer: Sendable {
        private enum State {
            case idle
            case waiting(CheckedContinuation<Result<FleetSelection, RolloutError>, Never>)
            case given(Result<FleetSelection, RolloutError>)
            case done
        }
        private let state = Mutex(State.idle)

        /// Registers the waiting task; false (and answered) when an answer came first.
        func wait(_ continuation: CheckedContinuation<Result<FleetSelection, RolloutError>, Never>) -> Bool {
            let early: Result<FleetSelection, RolloutError>? = state.withLock { state in
                switch state {
                case .idle: state = .waiting(continuation); return nil
                case .given(let result): state = .done; return result
                case .waiting, .done: return nil
                }
            }
            guard let early else { return true }
            continuation.resume(returning: early)
            return false
        }

        /// The first answer resumes the task; later ones are dropped.
        func give(_ result: Result<FleetSelection, RolloutError>) {
            let waiting: CheckedContinuation<Result<FleetSelection, RolloutError>, Never>? = state.withLock { state in
                switch state {
                case .idle: state = .given(result); return nil
                case .waiting(let continuation): state = .done; return continuation
                case .given, .done: return nil
                }
            }
            waiting?.resume(returning: result)
        }
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
