import Foundation

/// An inventory in the shape `ansible-inventory --list` prints: every group with its direct hosts
/// and child groups, and every host's resolved variables (`_meta.hostvars`).
///
/// For an Ansible inventory it is what ansible-core would print; for a native inventory it is
/// synthesised from the resolved hosts (`ansible_host`, `ansible_port`, `ansible_user`,
/// `ansible_ssh_private_key_file` plus the vars), so either can be diffed with Ansible's output.
public struct AnsibleListing: Sendable {
    /// One group: its direct hosts (not those of child groups) and its child groups, in order.
    public struct Group: Sendable {
        public var name: String
        public var hosts: [String]
        public var children: [String]
    }

    /// One host's variables after precedence.
    public struct HostVars: Sendable {
        public var name: String
        public var vars: [String: InventoryValue]
    }

    /// Groups as `ansible-inventory` walks them from `all`.
    public var groups: [Group]
    /// Hosts in inventory order.
    public var hosts: [HostVars]

    public init(groups: [Group], hosts: [HostVars]) {
        self.groups = groups
        self.hosts = hosts
    }

    /// The JSON `ansible-inventory --list` prints (keys sorted; indentation aside); secrets masked.
    public func json() -> String {
        var object: [String: Any] = [:]
        var hostvars: [String: Any] = [:]
        for host in hosts {
            hostvars[host.name] = host.vars.mapValues(Self.jsonValue)
        }
        object["_meta"] = ["hostvars": hostvars, "profile": "inventory_legacy"]
        for group in groups {
            var body: [String: Any] = [:]
            if !group.hosts.isEmpty { body["hosts"] = group.hosts }
            if !group.children.isEmpty { body["children"] = group.children }
            if !body.isEmpty { object[group.name] = body }
        }
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]),
              let text = String(data: data, encoding: .utf8) else { return "{}" }
        return text
    }

    static func jsonValue(_ value: InventoryValue) -> Any {
        switch value {
        case .string(let text): return text
        case .int(let number): return number
        case .double(let number): return number.isFinite ? number as Any : String(number)
        case .bool(let flag): return flag
        case .null: return NSNull()
        case .list(let items): return items.map(jsonValue)
        case .map(let values): return values.mapValues(jsonValue)
        case .secret(let secret): return secret.description
        }
    }
}

extension Inventory {
    /// The inventory as `ansible-inventory --list` would print it.
    public var listing: AnsibleListing {
        if let ansibleListing { return ansibleListing }
        let childNames = Set(groups.values.flatMap(\.children))
        var listed = [AnsibleListing.Group(name: "all", hosts: [], children: ["ungrouped"] + groupOrder.filter { !childNames.contains($0) })]
        let grouped = Set(groups.values.flatMap(\.hosts))
        listed.append(AnsibleListing.Group(name: "ungrouped", hosts: hosts.map(\.name).filter { !grouped.contains($0) }, children: []))
        for name in groupOrder {
            guard let group = groups[name] else { continue }
            let fromChildren = Set(group.children.flatMap { groups[$0]?.hosts ?? [] })
            listed.append(AnsibleListing.Group(name: name, hosts: group.hosts.filter { !fromChildren.contains($0) }, children: group.children))
        }
        let hostvars = hosts.map { host in
            var vars = host.vars
            if host.address != host.name { vars["ansible_host"] = .string(host.address) }
            if host.port != 22 { vars["ansible_port"] = .int(host.port) }
            if let user = host.user { vars["ansible_user"] = .string(user) }
            if let key = host.identityFiles.first { vars["ansible_ssh_private_key_file"] = .string(key) }
            return AnsibleListing.HostVars(name: host.name, vars: vars)
        }
        return AnsibleListing(groups: listed, hosts: hostvars)
    }
}
