import Diagnostics

/// An Ansible inventory as ansible-core holds it after parsing: groups with their direct hosts,
/// child groups and own variables, hosts with their own variables, before any precedence is applied.
///
/// Built by ``AnsibleINIParser`` and ``AnsibleYAMLParser`` with the same operations ansible-core's
/// `InventoryData` offers (add a group, add a host to a group, add a child, set a variable), so both
/// formats end up with what `ansible-inventory` would hold. `all` and `ungrouped` always exist;
/// ``reconcile()`` makes parentless groups children of `all` and puts hosts that are in no group
/// into `ungrouped`, as ansible-core does.
struct AnsibleInventoryModel {
    typealias Variable = AnsibleVariables.Variable

    struct Group {
        var name: String
        var point: SourcePoint?
        /// Direct members, in the order they were added.
        private(set) var hosts: [String] = []
        /// The same members, to ask "is it one" without a walk through `hosts` (an INI range
        /// line adds thousands: the walk made loading quadratic in the number of hosts).
        private(set) var members: Set<String> = []
        /// Child groups, in the order they were added.
        var children: [String] = []
        var parents: [String] = []
        /// The group's own variables (a later assignment replaces an earlier one).
        var vars: [String: Variable] = [:]
        /// `ansible_group_priority` (default 1): among groups of the same depth, a higher one wins.
        var priority = 1

        /// Makes `host` a direct member (once; the first addition keeps its place).
        mutating func add(_ host: String) {
            if members.insert(host).inserted { hosts.append(host) }
        }

        /// Takes `other`'s members, in its order.
        mutating func replaceHosts(with other: Group) {
            hosts = other.hosts
            members = other.members
        }
    }

    struct HostEntry {
        var name: String
        var point: SourcePoint?
        var vars: [String: Variable] = [:]
    }

    var path: String
    var groups: [String: Group] = [
        "all": Group(name: "all", children: ["ungrouped"]),
        "ungrouped": Group(name: "ungrouped", parents: ["all"]),
    ]
    /// Group names in creation order, `all` and `ungrouped` first.
    var groupOrder = ["all", "ungrouped"]
    var hosts: [String: HostEntry] = [:]
    /// Host names in the order they first appeared.
    var hostOrder: [String] = []

    init(path: String) {
        self.path = path
    }

    mutating func addGroup(_ name: String, point: SourcePoint?) {
        guard groups[name] == nil else { return }
        groups[name] = Group(name: name, point: point)
        groupOrder.append(name)
    }

    /// Adds a host (its port only counts when the host is new, as in ansible-core) and makes it a
    /// direct member of `group`.
    mutating func addHost(_ name: String, group: String?, port: Int?, point: SourcePoint?) {
        if hosts[name] == nil {
            var entry = HostEntry(name: name, point: point)
            if let port {
                entry.vars["ansible_port"] = Variable(name: "ansible_port", value: .int(port), point: point)
            }
            hosts[name] = entry
            hostOrder.append(name)
        }
        if let group { groups[group]?.add(name) }
    }

    mutating func setHostVariable(_ variable: Variable, host: String) {
        hosts[host]?.vars[variable.name] = variable
    }

    /// Sets a group variable; `ansible_group_priority` sets the priority instead, as in ansible-core.
    /// - Returns: An error message when the priority is not an integer.
    mutating func setGroupVariable(_ variable: Variable, group: String) -> String? {
        if variable.name == "ansible_group_priority" {
            let priority: Int? = switch variable.value {
            case .int(let value): value
            case .string(let text): Int(text.trimmingWhitespace())
            case .bool(let value): value ? 1 : 0
            default: nil
            }
            guard let priority else { return "ansible_group_priority must be an integer, found '\(variable.value)'" }
            groups[group]?.priority = priority
            return nil
        }
        groups[group]?.vars[variable.name] = variable
        return nil
    }

    /// Makes `child` a child group of `parent`.
    /// - Returns: An error message when that would make a cycle.
    mutating func addChild(_ child: String, to parent: String) -> String? {
        if child == parent { return "group '\(child)' cannot be a child of itself" }
        if child == "all" { return "group 'all' cannot be a child group" }
        if ancestors(of: parent).contains(child) {
            return "adding group '\(child)' as a child of '\(parent)' makes a cycle"
        }
        guard groups[parent]?.children.contains(child) == false else { return nil }
        groups[parent]?.children.append(child)
        if groups[child]?.parents.contains(parent) == false { groups[child]?.parents.append(parent) }
        return nil
    }

    func ancestors(of name: String) -> Set<String> {
        var seen: Set<String> = []
        var pending = groups[name]?.parents ?? []
        while let next = pending.popLast() {
            guard seen.insert(next).inserted else { continue }
            pending += groups[next]?.parents ?? []
        }
        return seen
    }

    /// Parentless groups become children of `all`; hosts in no group go to `ungrouped`, hosts in
    /// another group leave it.
    mutating func reconcile() {
        for name in groupOrder where name != "all" && groups[name]?.parents.isEmpty == true {
            _ = addChild(name, to: "all")
        }
        var grouped: Set<String> = []
        for name in groupOrder where name != "all" && name != "ungrouped" {
            grouped.formUnion(groups[name]?.hosts ?? [])
        }
        var ungrouped = Group(name: "ungrouped")
        for host in (groups["ungrouped"]?.hosts ?? []) + hostOrder where !grouped.contains(host) { ungrouped.add(host) }
        groups["ungrouped"]?.replaceHosts(with: ungrouped)
    }

    /// Each group's depth: `all` is 0, a child is one deeper than its deepest parent.
    func depths() -> [String: Int] {
        var depth: [String: Int] = ["all": 0]
        func visit(_ name: String, _ level: Int, _ path: Set<String>) {
            guard !path.contains(name), (depth[name] ?? -1) < level || name == "all" else { return }
            depth[name] = level
            for child in groups[name]?.children ?? [] {
                visit(child, level + 1, path.union([name]))
            }
        }
        visit("all", 0, [])
        return depth
    }

    /// Every group a host belongs to, directly or through a child group, `all` excluded.
    func groups(of host: String) -> [String] {
        var result: Set<String> = []
        for name in groupOrder where name != "all" && groups[name]?.members.contains(host) == true {
            result.insert(name)
            result.formUnion(ancestors(of: name))
        }
        result.remove("all")
        return groupOrder.filter(result.contains)
    }
}
