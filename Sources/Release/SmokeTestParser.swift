import Diagnostics
import Yams

/// Reads `smoke:`, a sequence of smoke tests.
struct SmokeTestParser {
    static let keys = ["command", "run_on", "timeout", "retries", "interval"]

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
            default:
                if let value = reader.count(entry.value, for: "retries", minimum: 0) { test.retries = value } else { valid = false }
            }
        }
        guard let command else {
            if valid { reader.error("a smoke test needs 'command'", at: node) }
            return nil
        }
        test.command = command
        return valid ? test : nil
    }
}
