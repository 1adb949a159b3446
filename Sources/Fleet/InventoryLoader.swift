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
    ///   - limit: The run's `--limit`: ssh_config's `Match exec` commands run only for the hosts it
    ///     selects and their jump hops (``MatchExecScope``); nil: for every host. A `Match` line with
    ///     `exec` does not apply to the other hosts, whose settings no connection then uses.
    ///   - matchExec: Runs `Match exec` commands, each distinct one once; share one per run.
    ///   - matchExecTimeout: How long a `Match exec` command may run; one still running then is
    ///     stopped, does not match, and is a warning naming its line.
    /// - Returns: The inventory; warnings (not errors) are in `Inventory.warnings`.
    public static func load(
        path: String, sshConfigPath: String? = nil, limit: String? = nil,
        matchExec: MatchExecRunner = MatchExecRunner(), matchExecTimeout: Duration = MatchExecRunner.defaultTimeout
    ) throws(DiagnosticError) -> Inventory {
        let collector = DiagnosticCollector()
        let source = try SourceText.read(path: path)
        let paths = PathResolution.relative(toFile: path)
        var sshConfig = try loadSSHConfig(sshConfigPath, collector: collector)
        sshConfig?.local.exec = { matchExec.outcome(of: $0, timeout: matchExecTimeout) }

        guard let draft = InventoryFormat.parse(source, paths: paths, collector: collector) else {
            try collector.check()
            throw DiagnosticError(diagnostics: collector.diagnostics)
        }
        var assembler = InventoryAssembler(draft: draft, collector: collector)
        if let sshConfig {
            let trials = SSHConfigLookup(config: sshConfig, collector: DiagnosticCollector())
            assembler.connecting = MatchExecScope.names(draft: draft, limit: limit) { trials.settings(for: $0, runsCommands: $1) }
            let lookup = SSHConfigLookup(config: sshConfig, collector: collector)
            assembler.sshLookup = { lookup.settings(for: $0, runsCommands: $1) }
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
