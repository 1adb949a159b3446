import Diagnostics
import Foundation
import Yams

extension PlaybookParser {
    /// Keys of `hooks.migrate` written as a mapping.
    static let migrationKeys = ["command", "on", "timeout"]

    /// `hooks.migrate`: a command (`migrate: ./bin/migrate`) or a mapping
    /// (`migrate: { command: ./bin/migrate, on: db-runner, timeout: 30m }`).
    func migration(_ node: Node) -> Migration? {
        let location = reader.location(of: node)
        if case .scalar = node {
            guard let command = migrationCommand(node) else { return nil }
            return Migration(command: command, location: location)
        }
        guard let entries = reader.mapping(node, for: "hooks.migrate") else { return nil }
        var migration = Migration(command: "", location: location)
        var command: String?
        var valid = true
        for entry in reader.rejectUnknownKeys(entries, allowed: Self.migrationKeys, in: "hooks.migrate") {
            switch entry.key {
            case "command":
                command = migrationCommand(entry.value)
                if command == nil { valid = false }
            case "on":
                guard let name = reader.string(entry.value, for: "hooks.migrate.on") else { valid = false; continue }
                guard Self.isHostOrGroupName(name) else {
                    reader.error("invalid hooks.migrate.on '\(name)' (expected a host or group name: letters, digits, '.', '_' or '-')", at: entry.value)
                    valid = false
                    continue
                }
                migration.on = name
            default:
                if let value = reader.duration(entry.value, for: "hooks.migrate.timeout") { migration.timeout = value } else { valid = false }
            }
        }
        guard let command else {
            if valid { reader.error("hooks.migrate needs 'command'", at: node) }
            return nil
        }
        migration.command = command
        return valid ? migration : nil
    }

    private func migrationCommand(_ node: Node) -> String? {
        guard let command = reader.string(node, for: "hooks.migrate") else { return nil }
        guard !command.trimmingCharacters(in: .whitespaces).isEmpty else {
            reader.error("hook 'migrate' must not be empty", at: node)
            return nil
        }
        guard reader.commandBytesAreClean(command, at: node, for: "hooks.migrate") else { return nil }
        return command
    }

    /// What an inventory accepts as a host or group name.
    static func isHostOrGroupName(_ name: String) -> Bool {
        !name.isEmpty && name.count <= 255 && name.unicodeScalars.allSatisfy {
            ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || ".-_".unicodeScalars.contains($0)
        }
    }
}
