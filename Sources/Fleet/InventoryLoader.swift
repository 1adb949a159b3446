public import Diagnostics
import Foundation

/// Loads an inventory file (native YAML, Ansible YAML or Ansible INI) with the user's ssh_config applied.
public enum InventoryLoader {
    /// Loads and validates an inventory; every mistake is collected and thrown together.
    ///
    /// - Parameters:
    ///   - path: The inventory file.
    ///   - sshConfigPath: An OpenSSH client config. `nil` uses `~/.ssh/config` when it exists;
    ///     `"none"` (or an empty file) means no ssh_config.
    /// - Returns: The inventory; warnings (not errors) are in `Inventory.warnings`.
    public static func load(path: String, sshConfigPath: String? = nil) throws(DiagnosticError) -> Inventory {
        let collector = DiagnosticCollector()
        let source = try SourceText.read(path: path)
        let paths = PathResolution.relative(toFile: path)
        let sshConfig = try loadSSHConfig(sshConfigPath, collector: collector)

        guard let draft = InventoryFormat.parse(source, paths: paths, collector: collector) else {
            try collector.check()
            throw DiagnosticError(diagnostics: collector.diagnostics)
        }
        var assembler = InventoryAssembler(draft: draft, collector: collector)
        if let sshConfig {
            let lookup = SSHConfigLookup(config: sshConfig, collector: collector)
            assembler.sshLookup = { name in lookup.settings(for: name) }
        }
        var inventory = assembler.assemble()
        try collector.check()
        inventory.warnings = collector.warnings
        return inventory
    }

    /// Reads the ssh_config to apply, or `nil` when there is none.
    static func loadSSHConfig(_ path: String?, collector: DiagnosticCollector) throws(DiagnosticError) -> SSHConfig? {
        let home = PathResolution.currentHome
        let resolved: String
        if let path {
            if path == "none" || path.isEmpty { return nil }
            resolved = path
        } else {
            resolved = (home as NSString).appendingPathComponent(".ssh/config")
            guard FileManager.default.fileExists(atPath: resolved) else { return nil }
        }
        let source = try SourceText.read(path: resolved)
        return SSHConfigParser(home: home, collector: collector).parse(source)
    }
}
