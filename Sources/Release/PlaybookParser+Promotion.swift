import Diagnostics
import Yams

extension PlaybookParser {
    /// Keys of one environment's rule under `promotion`.
    static let promotionRuleKeys = ["from", "soak"]

    /// `promotion: { ENV: { from: ENV, soak: DURATION } }`: every name checked, `from` required
    /// and not the environment itself, and no chain of `from` that comes back to where it began
    /// (such a cycle would refuse every deploy of every environment in it).
    func promotion(_ node: Node) -> PromotionPolicy {
        var policy = PromotionPolicy()
        guard let entries = reader.mapping(node, for: "promotion", allowNull: true) else { return policy }
        for entry in entries {
            guard EnvironmentName.isValid(entry.key) else {
                reader.error(EnvironmentName.invalidMessage(entry.key), at: entry.keyNode)
                continue
            }
            let context = "promotion.\(entry.key)"
            guard let fields = reader.mapping(entry.value, for: context) else { continue }
            var from: String?
            var soak: Duration?
            for field in reader.rejectUnknownKeys(fields, allowed: Self.promotionRuleKeys, in: context) {
                switch field.key {
                case "from":
                    guard let name = reader.string(field.value, for: "\(context).from") else { continue }
                    if !EnvironmentName.isValid(name) {
                        reader.error(EnvironmentName.invalidMessage(name), at: field.value)
                    } else if name == entry.key {
                        reader.error("'\(context).from' names '\(name)' itself: an environment cannot be promoted from itself", at: field.value)
                    } else {
                        from = name
                    }
                default:
                    soak = reader.duration(field.value, for: "\(context).soak", allowZero: true)
                }
            }
            guard fields.contains(where: { $0.key == "from" }) else {
                reader.error("'\(context)' needs 'from' (the environment an artifact must pass first)", at: entry.value)
                continue
            }
            if let from {
                policy.rules[entry.key] = PromotionPolicy.Rule(environment: entry.key, from: from, soak: soak, location: reader.location(of: entry.keyNode))
            }
        }
        for entry in entries {
            guard let rule = policy.rules[entry.key] else { continue }
            var seen = [rule.environment]
            var current = rule.from
            while let next = policy.rules[current] {
                seen.append(current)
                if next.from == rule.environment {
                    reader.error("promotion cycle: \((seen + [rule.environment]).joined(separator: " ← ")) (each needs the one after it first, so none could ever be deployed)", at: entry.keyNode)
                    break
                }
                if seen.contains(next.from) { break }
                current = next.from
            }
        }
        return policy
    }
}
