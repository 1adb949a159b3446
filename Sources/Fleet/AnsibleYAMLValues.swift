import Diagnostics
import Foundation
import Yams

/// YAML as Ansible loads it (PyYAML, YAML 1.1): merge keys merged, plain scalars typed by the
/// YAML 1.1 rules (`yes`/`on` are booleans, `0755` is octal, `1e3` is a string, `~` is null).
///
/// Aliases are already resolved by the composer. A `<<: *anchor` (or `<<: [*a, *b]`) key copies
/// the anchored mapping's entries under the mapping's own, which win; among several merged
/// mappings the first listed wins, as in PyYAML.
struct AnsibleYAMLValues {
    var reader: YAMLReader

    /// The entries of a mapping with merge keys applied; reports a non-mapping (a null counts as
    /// empty when `allowNull`) and returns `nil`.
    func entries(_ node: Node, for context: String? = nil, allowNull: Bool = false) -> [YAMLEntry]? {
        guard let entries = reader.mapping(node, for: context, allowNull: allowNull) else { return nil }
        return merged(entries, depth: 0)
    }

    private func merged(_ entries: [YAMLEntry], depth: Int) -> [YAMLEntry] {
        guard depth < 32, entries.contains(where: isMergeKey) else { return entries }
        var merges: [YAMLEntry] = []
        var own: [YAMLEntry] = []
        for entry in entries {
            guard isMergeKey(entry) else {
                own.append(entry)
                continue
            }
            var sources: [Node] = []
            switch entry.value {
            case .mapping: sources = [entry.value]
            case .sequence(let sequence): sources = Array(sequence)
            default:
                reader.error("a merge key '<<' needs a mapping or a list of mappings, found \(reader.kind(of: entry.value))", at: entry.value)
                continue
            }
            // PyYAML: the first mapping listed wins, so later ones go in first.
            for source in sources.reversed() {
                guard case .mapping = source, let inner = reader.mapping(source, for: "<<") else {
                    if case .mapping = source {} else {
                        reader.error("a merge key '<<' needs a mapping or a list of mappings, found \(reader.kind(of: source))", at: source)
                    }
                    continue
                }
                merges += merged(inner, depth: depth + 1)
            }
        }
        var result: [YAMLEntry] = []
        var position: [String: Int] = [:]
        for entry in merges + own {
            if let index = position[entry.key] {
                result[index] = entry
            } else {
                position[entry.key] = result.count
                result.append(entry)
            }
        }
        return result
    }

    private func isMergeKey(_ entry: YAMLEntry) -> Bool {
        guard entry.key == "<<", case .scalar(let scalar) = entry.keyNode else { return false }
        return scalar.style == .plain || scalar.style == .any
    }

    /// A value as Ansible would hold it.
    func value(_ node: Node, depth: Int = 0) -> InventoryValue {
        guard depth < 64 else { return .null }
        switch node {
        case .scalar(let scalar):
            let tag = scalar.tag.description
            if tag == "!vault" {
                reader.error("vault-encrypted values are not supported (Cutover cannot decrypt them); use a secret variable instead", at: node)
                return .string("")
            }
            if scalar.style != .plain && scalar.style != .any { return .string(scalar.string) }
            if tag == "!unsafe" || tag == "tag:yaml.org,2002:str" { return .string(scalar.string) }
            return Self.plainScalar(scalar.string)
        case .sequence(let sequence):
            return .list(sequence.map { value($0, depth: depth + 1) })
        case .mapping:
            var values: [String: InventoryValue] = [:]
            for entry in entries(node) ?? [] {
                values[entry.key] = value(entry.value, depth: depth + 1)
            }
            return .map(values)
        case .alias:
            return .null
        }
    }

    /// YAML 1.1 resolution of a plain scalar, as PyYAML's resolver and constructor do it.
    static func plainScalar(_ text: String) -> InventoryValue {
        switch text {
        case "", "~", "null", "Null", "NULL": return .null
        case "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON": return .bool(true)
        case "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF": return .bool(false)
        default: break
        }
        if let int = integer(text) { return .int(int) }
        if let double = float(text) { return .double(double) }
        return .string(text)
    }

    private static func integer(_ text: String) -> Int? {
        guard text.wholeMatch(of: /[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+/) != nil else {
            return nil
        }
        var body = text.filter { $0 != "_" }
        var sign = 1
        if body.hasPrefix("-") { sign = -1 }
        if body.hasPrefix("-") || body.hasPrefix("+") { body.removeFirst() }
        let magnitude: Int?
        if body == "0" {
            magnitude = 0
        } else if body.hasPrefix("0b") {
            magnitude = Int(body.dropFirst(2), radix: 2)
        } else if body.hasPrefix("0x") {
            magnitude = Int(body.dropFirst(2), radix: 16)
        } else if body.hasPrefix("0") {
            magnitude = Int(body.dropFirst(), radix: 8)
        } else if body.contains(":") {
            magnitude = body.split(separator: ":").reduce(Int?(0)) { total, part in
                guard let total, let digit = Int(part) else { return nil }
                return total.multipliedReportingOverflow(by: 60).overflow ? nil : total * 60 + digit
            }
        } else {
            magnitude = Int(body)
        }
        return magnitude.map { sign * $0 }
    }

    private static func float(_ text: String) -> Double? {
        guard text.wholeMatch(of: /[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9_]+(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)/) != nil else {
            return nil
        }
        let body = text.filter { $0 != "_" }.lowercased()
        if body.hasSuffix(".inf") { return body.hasPrefix("-") ? -.infinity : .infinity }
        if body.hasSuffix(".nan") { return .nan }
        if body.contains(":") {
            let negative = body.hasPrefix("-")
            let parts = body.trimmingPrefix(/[-+]/).split(separator: ":")
            var total = 0.0
            for part in parts { total = total * 60 + (Double(part) ?? 0) }
            return negative ? -total : total
        }
        var normalized = body
        if normalized.hasPrefix(".") { normalized = "0" + normalized }
        if normalized.hasPrefix("-.") || normalized.hasPrefix("+.") { normalized.insert("0", at: normalized.index(after: normalized.startIndex)) }
        if normalized.hasSuffix(".") { normalized += "0" }
        normalized = normalized.replacingOccurrences(of: ".e", with: ".0e")
        return Double(normalized)
    }
}
