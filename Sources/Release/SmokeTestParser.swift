import Diagnostics
import Yams

/// Reads `smoke:`, a sequence of smoke tests.
struct SmokeTestParser {
    static let keys = ["command", "run_on", "timeout", "retries", "interval", "env"]

    var reader: YAMLReader

    func tests(_ node: Node) -> [SmokeTest] {
        if reader.isNull(node) { return [] }
        guard let items = reader.sequence(node, for: "smoke") else { return [] }
        return items.compactMap(test)
    }

    private func test(_ node: Node) -> SmokeTest? {
        guard let entries = reader.mapping(node, for: "a smoke test") else { return nil }
        var command: Template?
        var test = SmokeTest(command: Template.empty, location: reader.location(of: node))
        var valid = true
        var env: YAMLEntry?
        for entry in reader.rejectUnknownKeys(entries, allowed: Self.keys, in: "a smoke test") {
            switch entry.key {
            case "command":
                command = reader.template(entry.value, for: "command")
                if command == nil { valid = false }
            case "run_on":
                let text = reader.string(entry.value, for: "run_on") ?? ""
                if let value = SmokeTest.Location(rawValue: text) { test.runOn = value } else {
                    reader.error("invalid run_on '\(text)' (expected host or local)", at: entry.value)
                    valid = false
                }
            case "timeout":
                if let value = reader.duration(entry.value, for: "timeout") { test.timeout = value } else { valid = false }
            case "interval":
                if let value = reader.duration(entry.value, for: "interval", allowZero: true) { test.interval = value } else { valid = false }
            case "env":
                env = entry
                if let names = environmentNames(entry.value) { test.environment = names } else { valid = false }
            default:
                if let value = reader.count(entry.value, for: "retries", minimum: 0) { test.retries = value } else { valid = false }
            }
        }
        guard let command else {
            if valid { reader.error("a smoke test needs 'command'", at: node) }
            return nil
        }
        if let env, test.runOn != .local {
            reader.error("env: passes the runner's variables to run_on: local commands only (commands on a host get the host's secrets)", at: env.keyNode)
            valid = false
        }
        test.command = command
        return valid ? test : nil
    }

    /// `env:`, a list of environment variable names (`[A-Za-z_][A-Za-z0-9_]*`); each bad one is reported.
    private func environmentNames(_ node: Node) -> [String]? {
        guard let names = reader.stringList(node, for: "env") else { return nil }
        var valid = true
        for name in names where !Self.isVariableName(name) {
            reader.error("invalid environment variable name '\(name)' in env (expected letters, digits and '_', not starting with a digit)", at: node)
            valid = false
        }
        return valid ? names : nil
    }

    private static func isVariableName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, !("0"..."9").contains(first) else { return false }
        return name.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }
    }
}
