import Diagnostics

/// Reads an Ansible INI inventory: `[group]` host lines with inline `key=value` vars,
/// `[group:vars]` and `[group:children]` sections.
///
/// Host lines before any section are ungrouped. A host listed in several sections is one host (first
/// appearance fixes its order, later vars win). Groups named in `:children` or `:vars` sections exist
/// even without their own section, as in Ansible. `web[01:03]` numeric ranges are expanded. `[all:vars]`
/// become inventory-wide defaults. Values: integers, `true`/`false` (any case), decimals, quoted or bare strings.
struct AnsibleINIParser {
    var source: SourceText
    var paths: PathResolution
    var collector: DiagnosticCollector

    /// Whether text looks like INI rather than YAML: the first meaningful line is a `[section]`
    /// header, or a host line without YAML's `key: value` shape.
    static func looksLikeINI(_ source: SourceText) -> Bool {
        guard let line = firstMeaningfulLine(source) else { return false }
        if line.hasPrefix("[") { return startsWithSection(source) }
        if line == "---" || line.hasPrefix("- ") || line.hasPrefix("{") { return false }
        return !line.contains(": ") && !line.hasSuffix(":")
    }

    /// Whether the first meaningful line is a `[section]` header (which YAML would read as a flow sequence).
    static func startsWithSection(_ source: SourceText) -> Bool {
        guard let line = firstMeaningfulLine(source) else { return false }
        return line.hasPrefix("[") && line.hasSuffix("]") && !line.contains(",") && !line.contains(" ")
    }

    private static func firstMeaningfulLine(_ source: SourceText) -> String? {
        source.lines.lazy.map { $0.trimmingWhitespace() }
            .first { !$0.isEmpty && !$0.hasPrefix("#") && !$0.hasPrefix(";") }
    }

    /// What the current section holds.
    private enum Section {
        case hosts(group: String?)
        case vars(group: String)
        case children(group: String)
    }

    func parse() -> InventoryDraft? {
        var draft = InventoryDraft(path: source.path)
        let variables = AnsibleVariables(paths: paths, collector: collector, path: source.path)
        var section = Section.hosts(group: nil)
        var groupVars: [(group: String, point: SourcePoint, variables: [AnsibleVariables.Variable])] = []

        for (index, raw) in source.lines.enumerated() {
            let lineNumber = index + 1
            let tokens = tokenize(raw, line: lineNumber)
            guard let first = tokens.first else { continue }
            let point = source.point(line: lineNumber, column: first.column)

            if first.text.hasPrefix("[") {
                guard first.text.hasSuffix("]"), tokens.count == 1 else {
                    collector.report(point.error("malformed section header '\(raw.trimmingWhitespace())'"))
                    continue
                }
                let header = String(first.text.dropFirst().dropLast())
                let parts = header.split(separator: ":", maxSplits: 1).map(String.init)
                let name = parts.first ?? ""
                guard HostName.isValid(name) else {
                    collector.report(point.error(HostName.invalidMessage(name, kind: "group")))
                    section = .hosts(group: nil)
                    continue
                }
                let kind = parts.count > 1 ? parts[1] : nil
                switch kind {
                case nil:
                    section = .hosts(group: name)
                    if name != "all" { _ = draft.groupIndex(named: name, point: point) }
                case "vars":
                    section = .vars(group: name)
                    groupVars.append((name, point, []))
                case "children":
                    section = .children(group: name)
                    if name != "all" { _ = draft.groupIndex(named: name, point: point) }
                default:
                    collector.report(point.error("unknown section type ':\(kind!)'" + Suggestion.hint(for: kind!, in: ["vars", "children"])))
                    section = .hosts(group: nil)
                }
                continue
            }

            switch section {
            case .hosts(let group):
                hostLine(tokens, point: point, group: group, variables: variables, into: &draft)
            case .vars:
                guard let variable = assignment(tokens, lineNumber: lineNumber) else { continue }
                groupVars[groupVars.count - 1].variables.append(variable)
            case .children(let group):
                guard tokens.count == 1 else {
                    collector.report(source.point(line: lineNumber, column: tokens[1].column).error("expected one group name per line in '[\(group):children]'"))
                    continue
                }
                guard HostName.isValid(first.text), first.text != "all" else {
                    collector.report(point.error(HostName.invalidMessage(first.text, kind: "group")))
                    continue
                }
                _ = draft.groupIndex(named: first.text, point: point)
                if group != "all" {
                    let parent = draft.groupIndex(named: group, point: point)
                    draft.groups[parent].addChild(.init(name: first.text, point: point))
                }
            }
        }
        for entry in groupVars {
            draft.apply(variables.map(entry.variables), toGroup: entry.group, point: entry.point)
        }
        return draft
    }

    /// `name[:port] key=value …`, adding the host (or its range) to the current group.
    private func hostLine(
        _ tokens: [Token], point: SourcePoint, group: String?, variables: AnsibleVariables, into draft: inout InventoryDraft
    ) {
        var name = tokens[0].text
        var vars: [AnsibleVariables.Variable] = []
        if let colon = name.lastIndex(of: ":"), name.firstIndex(of: ":") == colon, let port = Int(name[name.index(after: colon)...]) {
            vars.append(.init(name: "ansible_port", value: .int(port), point: point))
            name = String(name[..<colon])
        }
        for token in tokens.dropFirst() {
            guard let variable = variable(from: token, line: point.location.line) else { continue }
            vars.append(variable)
        }
        guard let names = expandRange(name, point: point) else { return }
        let mapped = variables.map(vars)
        for host in names {
            guard HostName.isValid(host) else {
                collector.report(point.error(HostName.invalidMessage(host, kind: "host")))
                continue
            }
            let index = draft.hostIndex(named: host, point: point)
            draft.apply(mapped, toHostAt: index)
            if let group, group != "all" {
                let groupIndex = draft.groupIndex(named: group, point: point)
                draft.groups[groupIndex].addHost(.init(name: host, point: point))
            }
        }
    }

    /// A `[group:vars]` line: `key=value` or `key = value`.
    private func assignment(_ tokens: [Token], lineNumber: Int) -> AnsibleVariables.Variable? {
        if tokens.count == 3, tokens[1].text == "=" {
            let point = source.point(line: lineNumber, column: tokens[0].column)
            return .init(name: tokens[0].text, value: Self.value(tokens[2].text, quoted: tokens[2].quoted), point: point)
        }
        if tokens.count == 1 {
            return variable(from: tokens[0], line: lineNumber)
        }
        let joined = Token(text: tokens.map(\.text).joined(), column: tokens[0].column, quoted: false)
        if tokens.count == 2, tokens[0].text.hasSuffix("=") || tokens[1].text.hasPrefix("=") {
            return variable(from: joined, line: lineNumber)
        }
        collector.report(source.point(line: lineNumber, column: tokens[0].column).error("expected 'key=value' in a vars section"))
        return nil
    }

    private func variable(from token: Token, line: Int) -> AnsibleVariables.Variable? {
        let point = source.point(line: line, column: token.column)
        guard let equals = token.text.firstIndex(of: "="), equals != token.text.startIndex else {
            collector.report(point.error("expected 'key=value', found '\(token.text)'"))
            return nil
        }
        let key = String(token.text[..<equals])
        let value = String(token.text[token.text.index(after: equals)...])
        return .init(name: key, value: Self.value(value, quoted: token.quoted), point: point)
    }

    /// An INI value: quoted text stays a string; bare text becomes int, bool, double or string.
    static func value(_ text: String, quoted: Bool) -> InventoryValue {
        if quoted { return .string(text) }
        if let int = Int(text) { return .int(int) }
        switch text.lowercased() {
        case "true": return .bool(true)
        case "false": return .bool(false)
        default: break
        }
        if text.contains("."), text.filter({ $0 == "." }).count == 1, let double = Double(text) { return .double(double) }
        return .string(text)
    }

    /// `web[01:03]` → web01, web02, web03 (zero padding kept); names without a range are returned as is.
    private func expandRange(_ name: String, point: SourcePoint) -> [String]? {
        guard let open = name.firstIndex(of: "["), let close = name.firstIndex(of: "]"), open < close else { return [name] }
        let inside = name[name.index(after: open)..<close]
        let bounds = inside.split(separator: ":", omittingEmptySubsequences: false)
        guard bounds.count == 2, let low = Int(bounds[0]), let high = Int(bounds[1]), low <= high, high - low < 10_000 else {
            collector.report(point.error("invalid host range '[\(inside)]' (expected [start:end] with numbers)"))
            return nil
        }
        let width = bounds[0].count
        let prefix = name[..<open], suffix = name[name.index(after: close)...]
        return (low...high).map { number in
            var digits = String(number)
            if digits.count < width { digits = String(repeating: "0", count: width - digits.count) + digits }
            return prefix + digits + suffix
        }
    }

    /// A whitespace-separated word; quotes removed (`key="a b"` is one word).
    private struct Token {
        var text: String
        var column: Int
        var quoted: Bool
    }

    /// Splits a line into words, honouring single and double quotes and dropping `#`/`;` comments.
    private func tokenize(_ line: String, line number: Int) -> [Token] {
        var tokens: [Token] = []
        var current = ""
        var start = 0
        var quote: Unicode.Scalar?
        var quoted = false
        var inToken = false
        for (offset, scalar) in line.unicodeScalars.enumerated() {
            if let open = quote {
                if scalar == open { quote = nil } else { current.unicodeScalars.append(scalar) }
                continue
            }
            if scalar == " " || scalar == "\t" || scalar == "\r" {
                if inToken { tokens.append(Token(text: current, column: start + 1, quoted: quoted)) }
                current = ""
                inToken = false
                quoted = false
                continue
            }
            if !inToken && (scalar == "#" || (scalar == ";" && tokens.isEmpty)) { break }
            if !inToken {
                inToken = true
                start = offset
            }
            if scalar == "\"" || scalar == "'" {
                quote = scalar
                quoted = true
                continue
            }
            current.unicodeScalars.append(scalar)
        }
        if quote != nil {
            collector.report(source.diagnostic(.error, "unterminated quote", line: number, column: start + 1))
            return []
        }
        if inToken { tokens.append(Token(text: current, column: start + 1, quoted: quoted)) }
        return tokens
    }
}
