import Diagnostics

/// Reads an Ansible INI inventory as ansible-core's `ini` plugin does: `[group]` host lines with
/// inline `key=value` vars, `[group:vars]` and `[group:children]` sections.
///
/// Host lines before any section are ungrouped. A host line is split like a POSIX shell line
/// (quotes removed, `#` starts a comment); its first word is a host pattern (``AnsibleHostPattern``:
/// ranges, `:port`, IPv6) and every other word is `key=value`. In a `:vars` section the whole line
/// after the first `=` is the value (spaces and `#` included). Every value is read as a Python
/// literal (``PythonLiteral``), so `1` is a number, `True` a boolean, `true` and `a b` strings.
/// A section header may carry a trailing `# comment`. A group named in `:children` or `:vars` must
/// be defined somewhere in the file (its own section, or a `:children` header), as Ansible requires.
struct AnsibleINIParser {
    var source: SourceText
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
        return sectionHeader(line) != nil
    }

    private static func firstMeaningfulLine(_ source: SourceText) -> String? {
        source.lines.lazy.map { $0.trimmingWhitespace() }
            .first { !$0.isEmpty && !$0.hasPrefix("#") && !$0.hasPrefix(";") }
    }

    /// `[name]` or `[name:kind]`, optionally followed by spaces and a `# comment`.
    static func sectionHeader(_ line: String) -> (name: String, kind: String?)? {
        guard let match = line.wholeMatch(of: /\[([^:\]\s]+)(?::(\w+))?\]\s*(?:#.*)?/) else { return nil }
        return (String(match.1), match.2.map(String.init))
    }

    /// What the current section holds.
    private enum Section: Equatable {
        case hosts(group: String)
        case vars(group: String)
        case children(group: String)
    }

    /// A group named before it is defined: by `[x:vars]` or in `[p:children]`.
    private struct Pending {
        var point: SourcePoint
        var isVars: Bool
        var parents: [String] = []
    }

    func parse() -> AnsibleInventoryModel {
        var model = AnsibleInventoryModel(path: source.path)
        var section = Section.hosts(group: "ungrouped")
        var pending: [String: Pending] = [:]
        var pendingOrder: [String] = []

        for (index, raw) in source.lines.enumerated() {
            let lineNumber = index + 1
            let line = raw.trimmingWhitespace()
            guard let first = line.first, first != "#", first != ";" else { continue }
            let column = (raw.firstIndex(where: { $0 != " " && $0 != "\t" }).map { raw.distance(from: raw.startIndex, to: $0) } ?? 0) + 1
            let point = source.point(line: lineNumber, column: column)

            if let header = Self.sectionHeader(line) {
                let name = header.name
                let kind = header.kind ?? "hosts"
                guard ["hosts", "vars", "children"].contains(kind) else {
                    collector.report(point.error("unknown section type ':\(kind)'" + Suggestion.hint(for: kind, in: ["vars", "children"])))
                    section = .hosts(group: "ungrouped")
                    continue
                }
                guard HostName.isValid(name) else {
                    collector.report(point.error(HostName.invalidMessage(name, kind: "group")))
                    section = .hosts(group: "ungrouped")
                    continue
                }
                if model.groups[name] == nil, kind == "vars", pending[name] == nil {
                    pending[name] = Pending(point: point, isVars: true)
                    pendingOrder.append(name)
                }
                model.addGroup(name, point: point)
                if kind != "vars", let declared = pending[name] {
                    if !declared.isVars {
                        resolvePending(name, pending: &pending, model: &model)
                    } else {
                        pending[name] = nil
                    }
                }
                switch kind {
                case "vars": section = .vars(group: name)
                case "children": section = .children(group: name)
                default: section = .hosts(group: name)
                }
                continue
            }
            if line.hasPrefix("[") && line.hasSuffix("]") {
                collector.report(point.error("invalid section header '\(line)' (no spaces or other characters are allowed inside the brackets)"))
                continue
            }

            switch section {
            case .hosts(let group):
                hostLine(raw, lineNumber: lineNumber, point: point, group: group, into: &model)
            case .vars(let group):
                guard let equals = line.firstIndex(of: "=") else {
                    collector.report(point.error("expected 'key=value' in a vars section"))
                    continue
                }
                let key = line[..<equals].trimmingWhitespace()
                let text = line[line.index(after: equals)...].trimmingWhitespace()
                guard !key.isEmpty else {
                    collector.report(point.error("expected 'key=value' in a vars section"))
                    continue
                }
                let valueColumn = column + line.distance(from: line.startIndex, to: line.index(after: equals))
                    + (line[line.index(after: equals)...].prefix { $0 == " " || $0 == "\t" }.count)
                let variable = AnsibleVariables.Variable(
                    name: key, value: Self.value(text), point: source.point(line: lineNumber, column: valueColumn))
                if let problem = model.setGroupVariable(variable, group: group) {
                    collector.report(point.error(problem))
                }
            case .children(let group):
                guard let match = line.wholeMatch(of: /([^:\]\s]+)\s*(?:#.*)?/) else {
                    collector.report(point.error("expected one group name per line in '[\(group):children]'"))
                    continue
                }
                let child = String(match.1)
                guard HostName.isValid(child) else {
                    collector.report(point.error(HostName.invalidMessage(child, kind: "group")))
                    continue
                }
                if model.groups[child] == nil {
                    if pending[child] == nil {
                        pending[child] = Pending(point: point, isVars: false)
                        pendingOrder.append(child)
                    }
                    pending[child]?.parents.append(group)
                } else if let problem = model.addChild(child, to: group) {
                    collector.report(point.error(problem))
                }
            }
        }
        for name in pendingOrder {
            guard let declared = pending[name] else { continue }
            if declared.isVars {
                collector.report(declared.point.error("section [\(name):vars] is for a group that is not defined anywhere in the inventory"))
            } else {
                let parent = declared.parents.last ?? "?"
                collector.report(declared.point.error("section [\(parent):children] includes group '\(name)', which is not defined anywhere in the inventory"))
            }
        }
        return model
    }

    /// Links a group defined late to the parents that named it in `:children` (and theirs in turn).
    private func resolvePending(_ name: String, pending: inout [String: Pending], model: inout AnsibleInventoryModel) {
        guard let declared = pending[name] else { return }
        pending[name] = nil
        for parent in declared.parents {
            if let problem = model.addChild(name, to: parent) {
                collector.report(declared.point.error(problem))
            }
            if let parentDeclared = pending[parent], !parentDeclared.isVars {
                resolvePending(parent, pending: &pending, model: &model)
            }
        }
    }

    /// `pattern[:port] key=value …`: adds the host (or its range) to the current group.
    private func hostLine(_ raw: String, lineNumber: Int, point: SourcePoint, group: String, into model: inout AnsibleInventoryModel) {
        let tokens: [ShellWords.Word]
        do {
            tokens = try ShellWords.split(raw)
        } catch {
            collector.report(source.point(line: lineNumber, column: error.column).error(error.message))
            return
        }
        guard let first = tokens.first else { return }
        var variables: [AnsibleVariables.Variable] = []
        for token in tokens.dropFirst() {
            let tokenPoint = source.point(line: lineNumber, column: token.column)
            guard let equals = token.text.firstIndex(of: "=") else {
                collector.report(tokenPoint.error("expected 'key=value', found '\(token.text)'"))
                continue
            }
            let key = String(token.text[..<equals])
            guard !key.isEmpty else {
                collector.report(tokenPoint.error("expected 'key=value', found '\(token.text)'"))
                continue
            }
            variables.append(.init(name: key, value: Self.value(String(token.text[token.text.index(after: equals)...])), point: tokenPoint))
        }
        if first.text.hasSuffix(":") {
            collector.report(point.error("invalid host pattern '\(first.text)': a trailing ':' must be followed by a port"))
            return
        }
        let pattern = AnsibleHostPattern(first.text)
        let names: [String]
        do {
            names = try pattern.expand()
        } catch {
            collector.report(point.error(error.message))
            return
        }
        for host in names {
            if host == "---" {
                collector.report(point.error("invalid host '---' (this looks like a YAML file)"))
                return
            }
            guard HostName.isValidHost(host) else {
                collector.report(point.error(HostName.invalidMessage(host, kind: "host")))
                continue
            }
            model.addHost(host, group: group, port: pattern.port, point: point)
            for variable in variables {
                model.setHostVariable(variable, host: host)
            }
        }
    }

    /// An INI value: a Python literal when it is one, else the text itself.
    static func value(_ text: String) -> InventoryValue {
        PythonLiteral.parse(text) ?? .string(text)
    }
}

/// Splits a line into words like Python's `shlex.split(line, comments=True)` (POSIX rules):
/// single quotes keep everything, double quotes honour `\"`, `\\`, `\$` and `` \` ``, a backslash
/// outside quotes escapes the next character, and `#` outside quotes ends the line.
enum ShellWords {
    struct Word {
        var text: String
        var column: Int
    }

    struct SplitError: Error {
        var message: String
        var column: Int
    }

    static func split(_ line: String) throws(SplitError) -> [Word] {
        var words: [Word] = []
        var current = ""
        var inWord = false
        var start = 0
        var quote: Unicode.Scalar?
        var quoteColumn = 0
        let scalars = Array(line.unicodeScalars)
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            defer { index += 1 }
            if let open = quote {
                if scalar == open {
                    quote = nil
                } else if open == "\"", scalar == "\\", index + 1 < scalars.count, "\"\\$`".unicodeScalars.contains(scalars[index + 1]) {
                    index += 1
                    current.unicodeScalars.append(scalars[index])
                } else {
                    current.unicodeScalars.append(scalar)
                }
                continue
            }
            if scalar == " " || scalar == "\t" || scalar == "\r" || scalar == "\n" {
                if inWord { words.append(Word(text: current, column: start + 1)) }
                current = ""
                inWord = false
                continue
            }
            if scalar == "#" {
                break
            }
            if !inWord {
                inWord = true
                start = index
            }
            if scalar == "'" || scalar == "\"" {
                quote = scalar
                quoteColumn = start + 1
            } else if scalar == "\\", index + 1 < scalars.count {
                index += 1
                current.unicodeScalars.append(scalars[index])
            } else {
                current.unicodeScalars.append(scalar)
            }
        }
        if quote != nil {
            throw SplitError(message: "unterminated quote", column: quoteColumn)
        }
        if inWord { words.append(Word(text: current, column: start + 1)) }
        return words
    }
}
