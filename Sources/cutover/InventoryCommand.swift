import ArgumentParser
import Console
import Foundation
import Rollout

extension Cutover {
    struct InventoryCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "inventory",
            abstract: "Show what Cutover resolved from the inventory: each host's connection, groups and variables.",
            discussion: """
            Nothing is contacted. With --list --output json the inventory is printed in the shape of \
            `ansible-inventory --list` (`_meta.hostvars`, groups with their hosts and children), so the two \
            can be compared directly. Secrets are masked. Exit codes: 0, 64 usage error, 65 configuration error.
            """
        )

        @Option(name: [.customShort("i"), .customLong("inventory")], help: "Inventory file (native YAML, Ansible INI or YAML), or a name in Inventories/ (default: $CUTOVER_INVENTORY, else Inventories/default.yml).")
        var inventoryOption: String?

        @Option(help: "Hosts to show: names, groups, label=value or globs, combined with ',' (or), '&' (and), '!' (not).")
        var limit: String?

        @Option(help: "OpenSSH client config to honour (default: ~/.ssh/config; 'none' to ignore it).")
        var sshConfig: String?

        @Flag(help: "List every host and group (the default view); with --output json, in ansible-inventory --list shape.")
        var list = false

        @Option(help: "text (one block per host) or json (ansible-inventory --list shape).")
        var output: OutputFormat = .text

        func run() async throws {
            let inventory = inventoryOption
                ?? ProcessInfo.processInfo.environment["CUTOVER_INVENTORY"].flatMap { $0.isEmpty ? nil : $0 }
                ?? "default"
            var settings = ConnectionSettings(inventoryPath: inventory, sshConfigPath: sshConfig, limit: limit)
            settings.warningObserver = FleetOptions.warnings
            let report: InventoryReport
            do {
                report = try await InventoryReport(settings)
            } catch {
                TerminalOutput().err(error.description)
                throw ExitCode(error.exitCode)
            }
            switch output {
            case .json: TerminalOutput().out(report.json)
            default: TerminalOutput().out(report.text)
            }
        }
    }
}
