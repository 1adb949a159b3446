import ArgumentParser
import Console
import Diagnostics
import Fleet
import Foundation
import Release
import Rollout

/// Options every verb that talks to hosts shares.
struct FleetOptions: ParsableArguments {
    @Option(name: [.customShort("i"), .customLong("inventory")], help: "Inventory file (native YAML, Ansible INI or YAML), or a name in Inventories/ (default: $CUTOVER_INVENTORY, else Inventories/default.yml).")
    var inventoryOption: String?

    /// The inventory named by -i, else $CUTOVER_INVENTORY, else `default` (Inventories/default.yml).
    var inventory: String {
        if let inventoryOption { return inventoryOption }
        if let fromEnvironment = ProcessInfo.processInfo.environment["CUTOVER_INVENTORY"], !fromEnvironment.isEmpty { return fromEnvironment }
        return "default"
    }

    @Option(help: "Hosts to act on: names, groups, label=value or globs, combined with ',' (or), '&' (and), '!' (not).")
    var limit: String?

    @Option(help: "Hosts worked on at once (default: the playbook's `parallel`, else 50).")
    var parallel: Int?

    @Option(help: "SSH handshakes in flight at once (keep below sshd's MaxStartups).")
    var handshakes: Int = 10

    @Option(help: "Time allowed to connect, verify the host key and authenticate, and for each ssh_config Match exec command: seconds, or e.g. 500ms, 1m.")
    var connectTimeout = DurationArgument(.seconds(10))

    @Option(help: "OpenSSH client config to honour (default: ~/.ssh/config; 'none' to ignore it).")
    var sshConfig: String?

    @Option(help: ArgumentHelp("The inventory's deployment environment (staging, production, …), for an inventory that cannot name it (Ansible's); must agree with `environment:` when the inventory names one (default: the inventory's, else 'default').", valueName: "name"))
    var environment: String?

    @Flag(name: [.customShort("v"), .customLong("verbose")], help: "Show every remote command and its output on stderr (secrets redacted).")
    var verbose = false

    func validate() throws {
        guard (parallel ?? 1) >= 1 else { throw ValidationError("--parallel must be at least 1") }
        guard handshakes >= 1 else { throw ValidationError("--handshakes must be at least 1") }
        guard connectTimeout.duration > .zero else { throw ValidationError("--connect-timeout must be longer than zero") }
        if let environment, !EnvironmentName.isValid(environment) { throw ValidationError("--environment: " + EnvironmentName.invalidMessage(environment)) }
    }

    /// Configuration warnings (`file:line:col: warning: …`), on stderr, each once per process.
    static let warnings = WarningObserver { TerminalOutput().err($0.rendered) }

    /// ssh_config `Match exec` outcomes, each command run once per process (one run).
    static let matchExec = MatchExecRunner()

    /// The inventory as this process (one verb) first read it: the confirmation, the
    /// environment and the run see the same files, read once.
    static let inventorySnapshot = InventorySnapshot()

    /// The playbook and its rollback policy as this process (one verb) first read them: the
    /// ledger's app, the webhooks, the plan and the run see the same files, read once.
    static let playbookSnapshot = PlaybookSnapshot()

    var settings: ConnectionSettings {
        var settings = ConnectionSettings(
            inventoryPath: inventory, sshConfigPath: sshConfig, limit: limit,
            parallel: parallel, handshakes: handshakes,
            connectTimeout: connectTimeout.duration)
        settings.warningObserver = Self.warnings
        settings.matchExec = Self.matchExec
        settings.inventorySnapshot = Self.inventorySnapshot
        settings.playbookSnapshot = Self.playbookSnapshot
        settings.environment = environment
        if verbose {
            let trace = CommandTraceText(output: TerminalOutput())
            settings.commandObserver = CommandObserver(perConnection: { trace.connectionTrace() })
        }
        return settings
    }
}
