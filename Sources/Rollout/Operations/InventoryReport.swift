public import Fleet

/// What Cutover resolved from an inventory, for `cutover inventory`: the selected hosts with their
/// connection, groups and variables, and the `ansible-inventory --list` view of them.
///
/// Loading reports mistakes exactly as every other verb does (configuration errors, warnings to the
/// settings' observer); nothing is contacted.
public struct InventoryReport: Sendable {
    /// The selected hosts, in inventory order.
    public let hosts: [Fleet.Host]
    /// The hops to each selected host, first hop first, by host name.
    public let jumpChains: [String: [Fleet.Host]]
    /// The `ansible-inventory --list` view, restricted to the selected hosts.
    public let listing: AnsibleListing

    public init(_ settings: ConnectionSettings) async throws(RolloutError) {
        let selection = try await FleetSelection.load(settings)
        hosts = selection.hosts
        jumpChains = Dictionary(uniqueKeysWithValues: selection.hosts.map { ($0.name, selection.inventory.jumpChain(for: $0)) })
        var listing = selection.inventory.listing
        if settings.limit != nil {
            let selected = Set(selection.hosts.map(\.name))
            listing.hosts = listing.hosts.filter { selected.contains($0.name) }
            listing.groups = listing.groups.map { group in
                var group = group
                group.hosts = group.hosts.filter(selected.contains)
                return group
            }
        }
        self.listing = listing
    }

    /// The `ansible-inventory --list` JSON (secrets masked).
    public var json: String { listing.json() }

    /// One block per host: address, port, user, identity, jump chain, groups, labels, vars
    /// (secrets shown as `[secret NAME]`).
    public var text: String {
        var lines: [String] = []
        for host in hosts {
            lines.append(host.name)
            lines.append("  address  \(host.address):\(host.port)")
            lines.append("  user     \(host.user ?? "(local user)")")
            if !host.identityFiles.isEmpty { lines.append("  identity \(host.identityFiles.joined(separator: ", "))") }
            let chain = jumpChains[host.name] ?? []
            if !chain.isEmpty { lines.append("  jump     \(chain.map { "\($0.name) (\($0.address):\($0.port))" }.joined(separator: " -> "))") }
            if !host.knownHostsFiles.isEmpty { lines.append("  known_hosts \(host.knownHostsFiles.joined(separator: ", "))") }
            if !host.groups.isEmpty { lines.append("  groups   \(host.groups.joined(separator: ", "))") }
            if !host.labels.isEmpty {
                lines.append("  labels   " + host.labels.keys.sorted().map { "\($0)=\(host.labels[$0]!)" }.joined(separator: " "))
            }
            for name in host.vars.keys.sorted() {
                let value = host.vars[name]!
                let shown = if case .secret(let secret) = value { secret.description } else { value.description }
                lines.append("  var      \(name) = \(shown)")
            }
        }
        return lines.joined(separator: "\n")
    }
}
