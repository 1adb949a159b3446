import Foundation
import Transport

/// One line of `.cutover/journal`: `<UTC time> deploy=<id> step=<step> key=value…`.
/// Values are release ids, deploy ids, words: never spaces or newlines (replaced before writing).
struct JournalEntry: Sendable, Hashable {
    var time: String
    var deploy: String
    var step: String
    var fields: [String: String]

    /// Parses a line; nil for lines that are not journal entries.
    init?(line: String) {
        let parts = line.split(separator: " ").map(String.init)
        guard parts.count >= 3 else { return nil }
        time = parts[0]
        var values: [String: String] = [:]
        for part in parts.dropFirst() {
            guard let eq = part.firstIndex(of: "=") else { continue }
            values[String(part[..<eq])] = String(part[part.index(after: eq)...])
        }
        guard let deploy = values.removeValue(forKey: "deploy"), let step = values.removeValue(forKey: "step") else { return nil }
        self.deploy = deploy
        self.step = step
        fields = values
    }

    var line: String {
        ([time, "deploy=\(deploy)", "step=\(step)"] + fields.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" })
            .joined(separator: " ")
    }

    /// A shell command appending an entry stamped with the host's clock. `shellFields` values
    /// are shell expressions (such as `$old`) expanded on the host.
    static func appendCommand(deploy: String, step: String, fields: [String: String] = [:], shellFields: [String: String] = [:]) -> String {
        let rest = (["deploy=\(deploy)", "step=\(step)"] + fields.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" })
            .map(DeployPreparation.oneWord)
            .joined(separator: " ")
        var format = "%s %s"
        var arguments = ["\"$(date -u +%Y-%m-%dT%H:%M:%SZ)\"", ShellQuote.quote(rest)]
        for (key, expression) in shellFields.sorted(by: { $0.key < $1.key }) {
            format += " \(key)=%s"
            arguments.append("\"\(expression)\"")
        }
        return "printf '\(format)\\n' \(arguments.joined(separator: " ")) >> \"$J\""
    }
}
