import Analysis
import Diagnostics
import Foundation
import Yams

/// Reads `kpis:`, a mapping from KPI name to its source and rules.
struct KPIParser {
    static let keys = ["command", "prometheus", "http", "interval", "max", "min", "max_increase", "direction",
                       "critical", "weight", "no_data", "max_missing", "missing_in_a_row", "breaches_in_a_row"]
    static let sourceKeys = ["command", "prometheus", "http"]

    var reader: YAMLReader

    func kpis(_ node: Node) -> [KPIDefinition] {
        if reader.isNull(node) { return [] }
        guard let entries = reader.mapping(node, for: "kpis") else { return [] }
        return entries.compactMap { kpi(named: $0.key, $0.value, keyNode: $0.keyNode) }
    }

    private func kpi(named name: String, _ node: Node, keyNode: Node) -> KPIDefinition? {
        guard name.range(of: "^[A-Za-z][A-Za-z0-9_.-]{0,63}$", options: .regularExpression) != nil else {
            reader.error("invalid KPI name '\(name)' (letters, digits, '_.-', starting with a letter)", at: keyNode)
            return nil
        }
        guard let entries = reader.mapping(node, for: "KPI '\(name)'") else { return nil }
        let known = reader.rejectUnknownKeys(entries, allowed: Self.keys, in: "KPI '\(name)'")
        guard let sourceEntry = reader.exactlyOne(of: Self.sourceKeys, in: known, at: node, for: "KPI '\(name)'") else { return nil }
        guard let source = source(sourceEntry, kpi: name) else { return nil }
        var kpi = KPIDefinition(name: name, source: source)
        var valid = true
        for entry in known where !Self.sourceKeys.contains(entry.key) {
            switch entry.key {
            case "interval":
                if let value = reader.duration(entry.value, for: "interval") { kpi.interval = value } else { valid = false }
            case "max", "min", "weight":
                guard let value = number(entry.value, for: entry.key) else { valid = false; continue }
                if entry.key == "max" { kpi.rule.max = value } else if entry.key == "min" { kpi.rule.min = value } else { kpi.rule.weight = value }
            case "max_increase":
                let text = reader.string(entry.value, for: "max_increase") ?? ""
                if text.hasSuffix("%"), let value = Double(text.dropLast()), value >= 0 { kpi.rule.maxIncrease = value / 100 } else {
                    reader.error("invalid 'max_increase' '\(text)' (expected a percentage such as 20%)", at: entry.value)
                    valid = false
                }
            case "direction":
                let text = reader.string(entry.value, for: "direction") ?? ""
                if let value = KPIRule.Direction(rawValue: text) { kpi.rule.direction = value } else {
                    reader.error("invalid direction '\(text)' (expected increase, decrease or either)", at: entry.value)
                    valid = false
                }
            case "critical":
                if let value = reader.bool(entry.value, for: "critical") { kpi.rule.critical = value } else { valid = false }
            case "max_missing":
                let text = reader.string(entry.value, for: "max_missing") ?? ""
                if text.hasSuffix("%"), let value = Double(text.dropLast()), (0...100).contains(value) { kpi.rule.maxMissing = value / 100 } else {
                    reader.error("invalid 'max_missing' '\(text)' (expected a percentage of the canary's samples, such as 20%)", at: entry.value)
                    valid = false
                }
            case "missing_in_a_row", "breaches_in_a_row":
                guard let count = reader.count(entry.value, for: entry.key, minimum: 1) else { valid = false; continue }
                if entry.key == "missing_in_a_row" { kpi.rule.missingInARow = count } else { kpi.rule.breachesInARow = count }
            default:
                let text = reader.string(entry.value, for: "no_data") ?? ""
                if let value = KPIRule.NoDataPolicy(rawValue: text) { kpi.rule.noData = value } else {
                    reader.error("invalid no_data '\(text)' (expected fail, pass or inconclusive)", at: entry.value)
                    valid = false
                }
            }
        }
        return valid ? kpi : nil
    }

    private func source(_ entry: YAMLEntry, kpi: String) -> KPIDefinition.Source? {
        switch entry.key {
        case "command":
            return reader.template(entry.value, for: "command").map(KPIDefinition.Source.command)
        case "prometheus":
            guard let fields = reader.mapping(entry.value, for: "prometheus") else { return nil }
            var url: Template?, query: Template?
            for field in reader.rejectUnknownKeys(fields, allowed: ["url", "query"], in: "prometheus") {
                if field.key == "url" { url = reader.template(field.value, for: "prometheus.url") } else { query = reader.template(field.value, for: "prometheus.query") }
            }
            guard let url, let query else {
                reader.error("'prometheus' needs 'url' and 'query'", at: entry.value)
                return nil
            }
            return .prometheus(url: url, query: query)
        default:
            guard let fields = reader.mapping(entry.value, for: "http") else { return nil }
            var url: Template?, path: String?
            for field in reader.rejectUnknownKeys(fields, allowed: ["url", "path"], in: "http") {
                if field.key == "url" { url = reader.template(field.value, for: "http.url") } else { path = reader.string(field.value, for: "http.path") }
            }
            guard let url, let path, !path.isEmpty else {
                reader.error("'http' needs 'url' and 'path'", at: entry.value)
                return nil
            }
            return .http(url: url, path: path)
        }
    }

    private func number(_ node: Node, for context: String) -> Double? {
        guard let text = reader.string(node, for: context), let value = Double(text), value.isFinite else {
            reader.error("'\(context)' must be a number", at: node)
            return nil
        }
        return value
    }
}
