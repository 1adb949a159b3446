import Foundation
import Diagnostics
import Yams

/// Playbook-specific scalar readers: durations, percentages, counts, templates.
extension YAMLReader {
    /// A duration such as `1s`, `500ms`, `1m30s`; reported otherwise, and when zero unless `allowZero`.
    func duration(_ node: Node, for context: String, allowZero: Bool = false) -> Duration? {
        guard let text = string(node, for: context) else { return nil }
        guard let duration = DurationText.parse(text) else {
            error("invalid duration '\(text)' for '\(context)' (expected e.g. 500ms, 0.5s, 5s, 1.5m, 1h, 1m30s)", at: node)
            return nil
        }
        guard allowZero || duration > .zero else {
            error("'\(context)' must be longer than zero", at: node)
            return nil
        }
        return duration
    }

    /// A `N%` percentage within `range`, or `nil` (unreported) when the text has no `%`.
    func percent(_ text: String, at node: Node, for context: String, range: ClosedRange<Int>) -> Int?? {
        guard text.hasSuffix("%") else { return .none }
        guard let value = Int(text.dropLast()), range.contains(value) else {
            error("invalid percentage '\(text)' for '\(context)' (expected \(range.lowerBound)%..\(range.upperBound)%)", at: node)
            return .some(nil)
        }
        return .some(value)
    }

    /// A wave size: `N` hosts or `P%` of them.
    func batchSize(_ node: Node, for context: String) -> BatchSize? {
        guard let text = string(node, for: context) else { return nil }
        if let percent = percent(text, at: node, for: context, range: 1...100) {
            return percent.map(BatchSize.percent)
        }
        return count(node, for: context, minimum: 1).map(BatchSize.count)
    }

    /// An integer of at least `minimum`; reported otherwise.
    func count(_ node: Node, for context: String, minimum: Int) -> Int? {
        guard let value = int(node, for: context) else { return nil }
        guard value >= minimum else {
            error("'\(context)' must be at least \(minimum), found \(value)", at: node)
            return nil
        }
        return value
    }

    /// A template whose placeholders are all known; reported otherwise.
    func template(_ node: Node, for context: String) -> Template? {
        guard let text = string(node, for: context) else { return nil }
        guard !text.trimmingCharacters(in: .whitespaces).isEmpty else {
            error("'\(context)' must not be empty", at: node)
            return nil
        }
        guard commandBytesAreClean(text, at: node, for: context) else { return nil }
        do {
            return try Template(parsing: text)
        } catch {
            self.error(error.message, at: node)
            return nil
        }
    }

    /// Reports a NUL or another control character (tab and newline aside) in a command, URL or
    /// query: sshd refuses an exec request holding a NUL, and the others are almost always a
    /// YAML escape written by accident (`"\033"` in double quotes is NUL followed by `33`).
    func commandBytesAreClean(_ text: String, at node: Node, for context: String) -> Bool {
        guard let bad = text.unicodeScalars.first(where: { ($0.value < 0x20 && $0 != "\t" && $0 != "\n") || $0.value == 0x7F || (0x80..<0xA0).contains($0.value) })
        else { return true }
        let name = bad.value == 0 ? "a NUL byte" : "the control character U+\(String(format: "%04X", bad.value))"
        error("'\(context)' contains \(name), which no command can hold"
              + (bad.value == 0 ? " (in a double-quoted YAML string, \"\\0\" or an octal escape such as \"\\033\" is NUL: write \\e or \\x1b, or use single quotes)" : ""), at: node)
        return false
    }

    /// The one entry among `keys` that says what a thing is (a check's kind, a KPI's source);
    /// reports none (at `node`) and every extra one (`"<subject> has both 'a' and 'b'; use one"`).
    func exactlyOne(of keys: [String], in entries: [YAMLEntry], at node: Node, for subject: String) -> YAMLEntry? {
        let found = entries.filter { keys.contains($0.key) }
        guard let first = found.first else {
            let names = keys.map { "'\($0)'" }
            let list = names.dropLast().joined(separator: ", ") + (names.count > 1 ? " or " : "") + (names.last ?? "")
            error("\(subject) needs one of \(list)", at: node)
            return nil
        }
        for extra in found.dropFirst() {
            error("\(subject) has both '\(first.key)' and '\(extra.key)'; use one", at: extra.keyNode)
        }
        return first
    }
}
