import Diagnostics

/// A parsed `--limit` expression, Ansible style.
///
/// Comma-separated terms; a plain term adds hosts (union), `&term` keeps only hosts also in `term`
/// (intersection), `!term` removes hosts. `&` may also join terms inside one comma-separated part:
/// `db&zone=a` is the union term `db` plus the intersection term `zone=a`, as in Ansible. The result is (union of plain terms) ∩ (every `&` term)
/// minus (every `!` term); with no plain term the union starts from all hosts. A term is a host name,
/// a group name (`all` is every host), a label `key=value`, or a glob (`web-*`, `db-?`) over host and
/// group names. A term matching nothing is an error, reported with a suggestion.
struct HostSelection {
    /// How a term combines with the others.
    enum Operation {
        case union
        case intersection
        case exclusion
    }

    /// One term with its operation.
    struct Term {
        var operation: Operation
        var text: String
    }

    /// The terms in the order written.
    var terms: [Term]
    /// The raw expression, for messages.
    var expression: String

    /// Splits an expression into terms.
    init(expression: String) {
        self.expression = expression
        var terms: [Term] = []
        for raw in expression.split(separator: ",", omittingEmptySubsequences: false) {
            let parts = raw.split(separator: "&", omittingEmptySubsequences: false)
            for (index, part) in parts.enumerated() {
                var text = part.trimmingWhitespace()
                var operation = index == 0 ? Operation.union : Operation.intersection
                if index == 0 && parts.count > 1 && text.isEmpty {
                    continue  // `&term` written as its own comma-separated term
                }
                if text.hasPrefix("!") {
                    operation = .exclusion
                    text = String(text.dropFirst()).trimmingWhitespace()
                }
                terms.append(Term(operation: operation, text: text))
            }
        }
        self.terms = terms
    }

    /// Applies the expression; every term that is empty or matches nothing is reported.
    func evaluate(in inventory: Inventory) throws(DiagnosticError) -> [Host] {
        var problems: [Diagnostic] = []
        var union: Set<String>?
        var intersections: [Set<String>] = []
        var exclusions: Set<String> = []
        for term in terms {
            guard !term.text.isEmpty else {
                problems.append(.error("empty term in host selection '\(expression)'"))
                continue
            }
            let matched = Self.hosts(matching: term.text, in: inventory)
            if matched.isEmpty {
                let hint = Suggestion.hint(for: term.text, in: Self.vocabulary(of: inventory))
                problems.append(.error("no host, group or label matches '\(term.text)'\(hint)"))
                continue
            }
            switch term.operation {
            case .union: union = (union ?? []).union(matched)
            case .intersection: intersections.append(matched)
            case .exclusion: exclusions.formUnion(matched)
            }
        }
        if !problems.isEmpty {
            throw DiagnosticError(diagnostics: problems)
        }
        var selected = union ?? Set(inventory.hosts.map(\.name))
        for set in intersections { selected.formIntersection(set) }
        selected.subtract(exclusions)
        return inventory.hosts.filter { selected.contains($0.name) }
    }

    /// Names of the hosts one term denotes.
    static func hosts(matching term: String, in inventory: Inventory) -> Set<String> {
        if term == "all" || term == "*" {
            return Set(inventory.hosts.map(\.name))
        }
        if let equals = term.firstIndex(of: "=") {
            let key = String(term[..<equals]), value = String(term[term.index(after: equals)...])
            return Set(inventory.hosts.filter { $0.labels[key] == value }.map(\.name))
        }
        if Glob.isPattern(term) {
            let glob = Glob(pattern: term)
            var names = Set(inventory.hosts.map(\.name).filter(glob.matches))
            for (name, group) in inventory.groups where glob.matches(name) {
                names.formUnion(group.hosts)
            }
            return names
        }
        var names: Set<String> = []
        if inventory.host(named: term) != nil { names.insert(term) }
        if let group = inventory.groups[term] { names.formUnion(group.hosts) }
        return names
    }

    /// Everything a term could name, for suggestions: hosts, groups, `key=value` labels.
    static func vocabulary(of inventory: Inventory) -> [String] {
        var words = inventory.hosts.map(\.name) + inventory.groupOrder + ["all"]
        for host in inventory.hosts {
            for (key, value) in host.labels.sorted(by: { $0.key < $1.key }) {
                words.append("\(key)=\(value)")
            }
        }
        return words
    }
}

extension StringProtocol {
    /// The text without leading and trailing spaces and tabs.
    func trimmingWhitespace() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else {
            return ""
        }
        return String(self[first...last])
    }
}
