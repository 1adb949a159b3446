import Diagnostics
import Fleet
import Foundation

/// Loads an inventory from text written to a temp dir, without any ssh_config unless given.
func loadInventory(
    _ text: String,
    name: String = "inventory.yml",
    sshConfig: String? = nil,
    in directory: TemporaryDirectory = TemporaryDirectory()
) throws(DiagnosticError) -> Inventory {
    let path = directory.write(name, text)
    let configPath = sshConfig.map { directory.write("ssh_config", $0) } ?? "none"
    return try InventoryLoader.load(path: path, sshConfigPath: configPath)
}

/// The diagnostics a failing load reports; an empty array when it unexpectedly succeeds.
func loadDiagnostics(
    _ text: String,
    name: String = "inventory.yml",
    sshConfig: String? = nil,
    in directory: TemporaryDirectory = TemporaryDirectory()
) -> [Diagnostic] {
    do {
        _ = try loadInventory(text, name: name, sshConfig: sshConfig, in: directory)
        return []
    } catch {
        return error.diagnostics
    }
}

/// `line:column: message` of each error, a compact form for assertions.
func summaries(_ diagnostics: [Diagnostic]) -> [String] {
    diagnostics.filter { $0.severity == .error }.map { diagnostic in
        guard let location = diagnostic.location else { return diagnostic.message }
        return "\(location.line):\(location.column): \(diagnostic.message)"
    }
}

/// The home directory `~` expands to in inventories.
let homeDirectory: String = {
    if let home = ProcessInfo.processInfo.environment["HOME"], !home.isEmpty { return home }
    return NSHomeDirectory()
}()
