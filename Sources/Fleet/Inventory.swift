public import Diagnostics

/// The hosts Cutover deploys to, their groups, and how to reach each of them.
public struct Inventory: Sendable {
    /// The file the inventory was loaded from.
    public var path: String
    /// Every host, in file order.
    public var hosts: [Host]
    /// Groups by name; the implicit `all` group is not stored but is understood by `select`.
    public var groups: [String: HostGroup]
    /// Group names in file order (for stable suggestions and var precedence).
    public var groupOrder: [String]
    /// Jump chains resolved at load time, keyed by host name, first hop first.
    var jumpChains: [String: [Host]]
    /// Warnings found while loading (e.g. a skipped `Match` block in ssh_config).
    public var warnings: [Diagnostic]
    /// The deployment environment the inventory names (`environment: staging` at its top
    /// level); nil when it names none (Ansible inventories cannot: `--environment` names it).
    public var environment: String?
    /// Where `environment` was written, for messages.
    public var environmentLocation: SourceLocation?
    /// For an Ansible inventory, what `ansible-inventory --list` prints (see ``listing``).
    var ansibleListing: AnsibleListing?

    /// Creates an inventory; `jumpChains` maps host names to their resolved hops, first hop first.
    public init(
        path: String,
        hosts: [Host],
        groups: [String: HostGroup],
        groupOrder: [String]? = nil,
        jumpChains: [String: [Host]] = [:],
        warnings: [Diagnostic] = []
    ) {
        self.path = path
        self.hosts = hosts
        self.groups = groups
        self.groupOrder = groupOrder ?? groups.keys.sorted()
        self.jumpChains = jumpChains
        self.warnings = warnings
    }

    /// The host with this inventory name.
    public func host(named name: String) -> Host? {
        hosts.first { $0.name == name }
    }

    /// The hosts to hop through to reach `host`, first hop first; empty for a direct connection.
    public func jumpChain(for host: Host) -> [Host] {
        jumpChains[host.name] ?? []
    }

    /// The hosts an `--limit` expression selects, in file order without duplicates; `nil` selects all.
    ///
    /// See ``HostSelection`` for the grammar. A term that matches nothing is an error.
    public func select(_ expression: String?) throws(DiagnosticError) -> [Host] {
        guard let expression else { return hosts }
        return try HostSelection(expression: expression).evaluate(in: self)
    }
}
