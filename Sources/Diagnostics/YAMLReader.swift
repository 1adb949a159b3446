public import Yams

/// One `key: value` pair of a YAML mapping whose key is a scalar.
public struct YAMLEntry {
    /// The key text.
    public var key: String
    /// The key node, for locating key-level diagnostics (unknown key, duplicate name).
    public var keyNode: Node
    /// The value node.
    public var value: Node

    /// An entry from its parts (a merged or synthesised one).
    public init(key: String, keyNode: Node, value: Node) {
        self.key = key
        self.keyNode = keyNode
        self.value = value
    }
}

/// Walks composed YAML nodes and reports every shape mistake to a collector instead of throwing.
///
/// Each accessor returns `nil` after reporting when the node has the wrong type, so a loader can keep
/// going and find more mistakes.
public struct YAMLReader {
    /// The file the nodes come from.
    public var source: SourceText
    /// Where mistakes go.
    public var collector: DiagnosticCollector

    /// Creates a reader for nodes composed from `source`.
    public init(source: SourceText, collector: DiagnosticCollector) {
        self.source = source
        self.collector = collector
    }

    // MARK: Locations and reporting

    /// The node's 1-based location; line 1 column 1 when Yams recorded no mark.
    public func location(of node: Node) -> SourceLocation {
        let mark = node.mark
        return source.location(line: max(1, mark?.line ?? 1), column: max(1, mark?.column ?? 1))
    }

    /// A diagnostic pointing at a node, quoting its line.
    public func diagnostic(_ severity: Diagnostic.Severity, _ message: String, at node: Node) -> Diagnostic {
        let location = location(of: node)
        return Diagnostic(severity: severity, message: message, location: location, sourceLine: source.line(location.line))
    }

    /// Reports an error at a node.
    public func error(_ message: String, at node: Node) {
        collector.report(diagnostic(.error, message, at: node))
    }

    /// Reports a warning at a node.
    public func warning(_ message: String, at node: Node) {
        collector.report(diagnostic(.warning, message, at: node))
    }

    /// How a node reads in a message: `a mapping`, `a sequence`, `a string`, `a number`, `a boolean`, `null`.
    public func kind(of node: Node) -> String {
        switch node {
        case .mapping: return "a mapping"
        case .sequence: return "a sequence"
        case .alias: return "an alias"
        case .scalar(let scalar):
            if scalar.style != .plain && scalar.style != .any { return "a string" }
            if isNull(node) { return "null" }
            // Not `node.int`: Yams reads `4:4:4:4:4:4:4:4:4:4:4` as a YAML 1.1 base-60 integer and traps
            // on the overflow (Fuzz/Corpus/rollback/crash-yams-sexagesimal-overflow).
            if Int(String(scalar.string.filter { $0 != "_" })) != nil || node.float != nil { return "a number" }
            if node.bool != nil { return "a boolean" }
            return "a string"
        }
    }

    /// Whether a node is a plain null scalar (`~`, `null`, or nothing).
    public func isNull(_ node: Node) -> Bool {
        guard case .scalar(let scalar) = node, scalar.style == .plain || scalar.style == .any else { return false }
        return node.null != nil
    }

    private func typeMismatch(expected: String, _ node: Node, for context: String?) {
        let target = context.map { " for '\($0)'" } ?? ""
        error("expected \(expected)\(target), found \(kind(of: node))", at: node)
    }

    // MARK: Shapes

    /// The entries of a mapping in file order; reports `expected a mapping, found …` otherwise.
    ///
    /// Non-scalar keys are reported and skipped. A plain null node counts as an empty mapping
    /// when `allowNull` is true (`hosts:` with nothing under it).
    public func mapping(_ node: Node, for context: String? = nil, allowNull: Bool = false) -> [YAMLEntry]? {
        if allowNull && isNull(node) { return [] }
        guard case .mapping(let mapping) = node else {
            typeMismatch(expected: "a mapping", node, for: context)
            return nil
        }
        var entries: [YAMLEntry] = []
        for (key, value) in mapping {
            guard case .scalar(let scalar) = key else {
                error("expected a string key, found \(kind(of: key))", at: key)
                continue
            }
            entries.append(YAMLEntry(key: scalar.string, keyNode: key, value: value))
        }
        return entries
    }

    /// The items of a sequence; reports `expected a sequence, found …` otherwise.
    public func sequence(_ node: Node, for context: String? = nil) -> [Node]? {
        guard case .sequence(let sequence) = node else {
            typeMismatch(expected: "a sequence", node, for: context)
            return nil
        }
        return Array(sequence)
    }

    /// A scalar as text; numbers and booleans are accepted as their spelling. Null and collections are reported.
    public func string(_ node: Node, for context: String? = nil) -> String? {
        guard case .scalar(let scalar) = node, !isNull(node) else {
            typeMismatch(expected: "a string", node, for: context)
            return nil
        }
        return scalar.string
    }

    /// A plain integer scalar; reports `expected an integer, found …` otherwise.
    public func int(_ node: Node, for context: String? = nil) -> Int? {
        guard case .scalar(let scalar) = node, scalar.style == .plain || scalar.style == .any,
              let value = Int(String(scalar.string.filter { $0 != "_" })) else {
            typeMismatch(expected: "an integer", node, for: context)
            return nil
        }
        return value
    }

    /// A plain boolean scalar (`true`/`false`, YAML 1.1 spellings accepted by Yams); reported otherwise.
    public func bool(_ node: Node, for context: String? = nil) -> Bool? {
        guard case .scalar(let scalar) = node, scalar.style == .plain || scalar.style == .any, let value = node.bool else {
            typeMismatch(expected: "a boolean", node, for: context)
            return nil
        }
        return value
    }

    /// A string or a sequence of strings, as a list; each bad item is reported.
    public func stringList(_ node: Node, for context: String? = nil) -> [String]? {
        if case .sequence(let sequence) = node {
            var values: [String] = []
            var valid = true
            for item in sequence {
                if let text = string(item, for: context) { values.append(text) } else { valid = false }
            }
            return valid ? values : nil
        }
        guard case .scalar = node, !isNull(node) else {
            typeMismatch(expected: "a string or a sequence of strings", node, for: context)
            return nil
        }
        return string(node, for: context).map { [$0] }
    }

    // MARK: Keys

    /// Reports every key not in `allowed` as `unknown key 'x' (did you mean 'y'?)`, at the key.
    ///
    /// Returns the entries whose keys are allowed, so callers can go on with them.
    @discardableResult
    public func rejectUnknownKeys(_ entries: [YAMLEntry], allowed: [String], in context: String? = nil) -> [YAMLEntry] {
        var known: [YAMLEntry] = []
        for entry in entries {
            if allowed.contains(entry.key) {
                known.append(entry)
            } else {
                let place = context.map { " in \($0)" } ?? ""
                error("unknown key '\(entry.key)'\(place)\(Suggestion.hint(for: entry.key, in: allowed))", at: entry.keyNode)
            }
        }
        return known
    }
}
