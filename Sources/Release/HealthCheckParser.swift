import Diagnostics
import Yams

/// Reads a `health:` or `checks:` sequence into health checks, reporting every mistake.
struct HealthCheckParser {
    /// Keys one check may have.
    static let keys = ["command", "http", "tcp", "status", "timeout", "retries", "interval"]
    /// The keys that say what the check does; exactly one is required.
    static let kindKeys = ["command", "http", "tcp"]

    var reader: YAMLReader

    /// The checks of a sequence; null is an empty list.
    func checks(_ node: Node, for context: String) -> [HealthCheck] {
        if reader.isNull(node) { return [] }
        guard let items = reader.sequence(node, for: context) else { return [] }
        return items.compactMap { check($0, in: context) }
    }

    private func check(_ node: Node, in context: String) -> HealthCheck? {
        guard let entries = reader.mapping(node, for: "a \(context) check") else { return nil }
        let known = reader.rejectUnknownKeys(entries, allowed: Self.keys, in: "a \(context) check")
        guard let kindEntry = reader.exactlyOne(of: Self.kindKeys, in: known, at: node, for: "a \(context) check") else { return nil }
        var settings = HealthCheck(kind: .tcp(Template.empty), location: reader.location(of: node))
        var valid = true
        var status: Int?
        for entry in known {
            switch entry.key {
            case "timeout":
                if let value = reader.duration(entry.value, for: "timeout") { settings.timeout = value } else { valid = false }
            case "interval":
                if let value = reader.duration(entry.value, for: "interval", allowZero: true) { settings.interval = value } else { valid = false }
            case "retries":
                if let value = reader.count(entry.value, for: "retries", minimum: 0) { settings.retries = value } else { valid = false }
            case "status":
                if kindEntry.key != "http" {
                    reader.error("'status' only applies to 'http' checks", at: entry.keyNode)
                    valid = false
                } else if let value = reader.int(entry.value, for: "status") {
                    if (100...599).contains(value) { status = value } else {
                        reader.error("invalid HTTP status \(value) (expected 100...599)", at: entry.value)
                        valid = false
                    }
                } else { valid = false }
            default:
                break
            }
        }
        guard let template = reader.template(kindEntry.value, for: kindEntry.key) else { return nil }
        switch kindEntry.key {
        case "command":
            settings.kind = .command(template)
        case "http":
            guard template.text.hasPrefix("http://") || template.text.hasPrefix("https://") else {
                reader.error("'http' must be an http:// or https:// URL, found '\(template.text)'", at: kindEntry.value)
                return nil
            }
            URLPassword.register(in: template.text)
            settings.kind = .http(url: template, status: status)
        default:
            guard let colon = template.text.lastIndex(of: ":"), let port = Int(template.text[template.text.index(after: colon)...]),
                  (1...65535).contains(port), colon > template.text.startIndex else {
                reader.error("'tcp' must be 'host:port', found '\(template.text)'", at: kindEntry.value)
                return nil
            }
            settings.kind = .tcp(template)
        }
        let kinds = known.filter { Self.kindKeys.contains($0.key) }.count
        return valid && kinds == 1 ? settings : nil
    }
}
