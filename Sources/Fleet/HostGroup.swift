/// A named set of hosts with variables that apply to its members.
public struct HostGroup: Sendable, Hashable {
    /// The group name.
    public var name: String
    /// Every member host name in inventory file order, including members of child groups.
    public var hosts: [String]
    /// Names of child groups, as written.
    public var children: [String]
    /// Variables applied to members (host vars win).
    public var vars: [String: InventoryValue]

    /// Creates a group.
    public init(name: String, hosts: [String] = [], children: [String] = [], vars: [String: InventoryValue] = [:]) {
        self.name = name
        self.hosts = hosts
        self.children = children
        self.vars = vars
    }
}
