import Diagnostics
import Yams

/// Reads a composed rollback policy file, reporting every mistake.
struct RollbackPolicyParser {
    /// Top-level keys.
    static let keys = ["triggers", "scope", "parallel", "checks", "inconclusive"]

    var reader: YAMLReader

    /// Parses the root; missing keys take the standard policy's values.
    func parse(root: Node?, name: String) -> RollbackPolicy {
        var policy = RollbackPolicy.standard
        policy.name = name
        guard let root, let entries = reader.mapping(root, for: "the rollback policy", allowNull: true) else { return policy }
        for entry in reader.rejectUnknownKeys(entries, allowed: Self.keys) {
            switch entry.key {
            case "triggers":
                policy.triggers = triggers(entry.value)
            case "scope":
                if let text = reader.string(entry.value, for: "scope") {
                    if let scope = RollbackScope(rawValue: text) { policy.scope = scope } else {
                        let names = RollbackScope.allCases.map(\.rawValue)
                        reader.error("unknown rollback scope '\(text)' (expected \(names.joined(separator: ", ")))"
                            + Suggestion.hint(for: text, in: names), at: entry.value)
                    }
                }
            case "parallel":
                policy.parallel = reader.count(entry.value, for: "parallel", minimum: 1) ?? policy.parallel
            case "inconclusive":
                let text = reader.string(entry.value, for: "inconclusive") ?? ""
                if let action = InconclusiveAction(rawValue: text) { policy.inconclusive = action } else {
                    reader.error("invalid inconclusive '\(text)' (expected pause, rollback or promote)", at: entry.value)
                }
            default:
                policy.checks = HealthCheckParser(reader: reader).checks(entry.value, for: "checks")
            }
        }
        return policy
    }

    private func triggers(_ node: Node) -> Set<RollbackTrigger> {
        if reader.isNull(node) { return [] }
        guard let names = reader.stringList(node, for: "triggers") else { return [] }
        let items: [Node] = if case .sequence(let sequence) = node { Array(sequence) } else { [node] }
        var triggers: Set<RollbackTrigger> = []
        for (name, item) in zip(names, items) {
            if let trigger = RollbackTrigger(rawValue: name) { triggers.insert(trigger) } else {
                let names = RollbackTrigger.allCases.map(\.rawValue)
                reader.error("unknown rollback trigger '\(name)' (expected \(names.joined(separator: ", ")))"
                    + Suggestion.hint(for: name, in: names), at: item)
            }
        }
        return triggers
    }
}
