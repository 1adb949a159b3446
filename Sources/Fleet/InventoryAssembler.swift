import Diagnostics

/// Cross-checks a draft and merges its layers into an `Inventory`.
///
/// Precedence for connection settings, highest first: the host's own entry, its groups (Ansible group
/// vars only; native groups set no connection settings), ssh_config (looked up by host name, then by
/// explicit address), inventory `defaults` (Ansible `all` vars), built-in defaults. Variables: group
/// vars apply to members in group file order, so when two groups
/// set the same variable the group written later wins; the host's own vars win over all groups.
struct InventoryAssembler {
    var draft: InventoryDraft
    var collector: DiagnosticCollector
    /// ssh_config settings for a name (`Host` patterns are matched against it), and whether
    /// `Match exec` may run for it; empty when there is no config.
    var sshLookup: (_ name: String, _ runsCommands: Bool) -> ConnectionSettings = { _, _ in ConnectionSettings() }
    /// The hosts (inventory names and `ProxyJump` hops as written) the run connects to: only their
    /// lookups run `Match exec` commands. nil: every host.
    var connecting: Set<String>?

    private func runsCommands(for name: String) -> Bool {
        connecting?.contains(name) ?? true
    }

    func assemble() -> Inventory {
        let hostEntries = uniqueHosts()
        let hostNames = hostEntries.map(\.name)
        let groupEntries = uniqueGroups(hostNames: hostNames)
        let members = groupMembers(groupEntries, hostNames: hostNames)

        let settingsByName = Dictionary(uniqueKeysWithValues: hostEntries.map { entry in
            let groups = groupEntries.filter { members[$0.name]?.contains(entry.name) == true }
            return (entry.name, effectiveSettings(for: entry, groups: groups))
        })
        checkJumpTargets(hostEntries, settings: settingsByName)

        var hosts: [Host] = []
        for entry in hostEntries {
            let settings = settingsByName[entry.name]!
            let groups = groupEntries.filter { members[$0.name]?.contains(entry.name) == true }
            var vars = draft.commonVars
            var labels = draft.commonLabels
            for group in groups {
                vars.merge(group.vars) { _, new in new }
                labels.merge(group.labels) { _, new in new }
            }
            vars.merge(entry.vars) { _, new in new }
            labels.merge(entry.labels) { _, new in new }
            var host = makeHost(name: entry.name, settings: settings, fallbackAddress: entry.name)
            host.labels = labels
            host.vars = vars
            host.groups = groups.map(\.name)
            hosts.append(host)
        }

        var groups: [String: HostGroup] = [:]
        for entry in groupEntries {
            groups[entry.name] = HostGroup(
                name: entry.name,
                hosts: hostNames.filter { members[entry.name]?.contains($0) == true },
                children: entry.children.map(\.name),
                vars: entry.vars
            )
        }
        let chains = JumpChainResolver(hosts: hosts, settings: settingsByName, synthesise: synthesisedHop, collector: collector)
            .resolveAll(points: Dictionary(uniqueKeysWithValues: hostEntries.map { ($0.name, $0.point) }))
        var inventory = Inventory(path: draft.path, hosts: hosts, groups: groups, groupOrder: groupEntries.map(\.name), jumpChains: chains)
        inventory.environment = draft.environment
        inventory.environmentLocation = draft.environmentPoint?.location
        inventory.ansibleListing = draft.listing
        return inventory
    }

    // MARK: Names

    private func uniqueHosts() -> [InventoryDraft.HostEntry] {
        var seen: Set<String> = []
        return draft.hosts.filter { entry in
            guard seen.insert(entry.name).inserted else {
                report(entry.point, "duplicate host '\(entry.name)'")
                return false
            }
            return true
        }
    }

    private func uniqueGroups(hostNames: [String]) -> [InventoryDraft.GroupEntry] {
        var seen: Set<String> = []
        return draft.groups.filter { entry in
            if entry.name == "all" {
                report(entry.point, "group name 'all' is reserved (it always means every host)")
                return false
            }
            guard seen.insert(entry.name).inserted else {
                report(entry.point, "duplicate group '\(entry.name)'")
                return false
            }
            return true
        }
    }

    private func report(_ point: SourcePoint?, _ message: String) {
        collector.report(point?.error(message) ?? .error(message, at: SourceLocation(file: draft.path, line: 1, column: 1)))
    }

    // MARK: Groups

    /// Member host names of every group, children included; reports unknown names and child cycles.
    private func groupMembers(_ groups: [InventoryDraft.GroupEntry], hostNames: [String]) -> [String: Set<String>] {
        let byName = Dictionary(uniqueKeysWithValues: groups.map { ($0.name, $0) })
        let known = Set(hostNames)
        for group in groups {
            for reference in group.hosts where !known.contains(reference.name) {
                report(reference.point, "unknown host '\(reference.name)' in group '\(group.name)'" + Suggestion.hint(for: reference.name, in: hostNames))
            }
            for reference in group.children where byName[reference.name] == nil {
                report(reference.point, "unknown group '\(reference.name)' in children of '\(group.name)'" + Suggestion.hint(for: reference.name, in: groups.map(\.name)))
            }
        }
        var result: [String: Set<String>] = [:]
        var reportedCycles: Set<Set<String>> = []
        func members(of name: String, path: [String]) -> Set<String> {
            if let done = result[name] { return done }
            guard let group = byName[name] else { return [] }
            if let start = path.firstIndex(of: name) {
                let cycle = Array(path[start...]) + [name]
                if reportedCycles.insert(Set(cycle)).inserted {
                    report(group.point, "group cycle: " + cycle.joined(separator: " -> "))
                }
                return []
            }
            var names = Set(group.hosts.map(\.name).filter(known.contains))
            for child in group.children {
                names.formUnion(members(of: child.name, path: path + [name]))
            }
            result[name] = names
            return names
        }
        for group in groups { _ = members(of: group.name, path: []) }
        return result
    }

    // MARK: Connection settings

    /// Host entry, then its groups' settings (later group wins; only Ansible groups have any), then
    /// ssh_config, then defaults.
    private func effectiveSettings(for entry: InventoryDraft.HostEntry, groups: [InventoryDraft.GroupEntry]) -> ConnectionSettings {
        var groupSettings = ConnectionSettings()
        for group in groups { groupSettings = group.settings.filling(from: groupSettings) }
        let explicit = entry.settings.filling(from: groupSettings)
        let runs = runsCommands(for: entry.name)
        var ssh = sshLookup(entry.name, runs)
        if let address = explicit.address, address != entry.name {
            ssh = ssh.filling(from: sshLookup(address, runs))
        }
        var defaults = draft.defaults
        if case .inventory(let name, _) = defaults.jump, name == entry.name {
            defaults.jump = nil  // the default bastion does not jump through itself
        }
        return explicit.filling(from: ssh).filling(from: defaults)
    }

    private func makeHost(name: String, settings: ConnectionSettings, fallbackAddress: String) -> Host {
        var jump: String?
        var proxyCommand: String?
        switch settings.jump {
        case .inventory(let target, _): jump = target
        case .proxyJump(let hops): jump = hops.last
        case .proxyCommand(let command): proxyCommand = command
        case .direct, nil: jump = nil
        }
        return Host(
            name: name,
            address: settings.address ?? fallbackAddress,
            port: settings.port ?? 22,
            user: settings.user,
            identityFiles: settings.identityFiles ?? [],
            passphraseEnvironmentVariable: settings.passphraseEnvironmentVariable,
            knownHostsFiles: settings.knownHostsFiles ?? [],
            hostKey: settings.hostKey,
            hostKeyPolicy: settings.hostKeyPolicy,
            jump: jump,
            proxyCommand: proxyCommand,
            legacyAlgorithms: settings.legacyAlgorithms ?? false
        )
    }

    private func checkJumpTargets(_ entries: [InventoryDraft.HostEntry], settings: [String: ConnectionSettings]) {
        let names = entries.map(\.name)
        var reported: Set<SourcePoint> = []
        for entry in entries {
            guard case .inventory(let target, let point) = settings[entry.name]?.jump, settings[target] == nil else { continue }
            if let point, !reported.insert(point).inserted { continue }  // a bad `defaults.jump` is reported once
            report(point ?? entry.point, "unknown jump host '\(target)'" + Suggestion.hint(for: target, in: names))
        }
    }

    /// A jump hop that is not an inventory host: `[user@]host[:port]` from ssh_config `ProxyJump`.
    ///
    /// It gets its own ssh_config lookup and the inventory defaults, but its own `ProxyJump` is not followed.
    func synthesisedHop(_ spec: String) -> Host {
        let target = JumpSpec(spec)
        var defaults = draft.defaults
        defaults.jump = nil
        var settings = ConnectionSettings(port: target.port, user: target.user)
            .filling(from: sshLookup(target.host, runsCommands(for: spec)))
            .filling(from: defaults)
        settings.jump = nil
        return makeHost(name: spec, settings: settings, fallbackAddress: target.host)
    }
}

/// A `ProxyJump` hop, `[user@]host[:port]` (IPv6 as `[addr]:port`).
struct JumpSpec: Sendable, Hashable {
    var user: String?
    var host: String
    var port: Int?

    init(_ spec: String) {
        var rest = Substring(spec)
        if let at = rest.lastIndex(of: "@") {
            user = String(rest[..<at])
            rest = rest[rest.index(after: at)...]
        }
        if rest.hasPrefix("["), let close = rest.firstIndex(of: "]") {
            host = String(rest[rest.index(after: rest.startIndex)..<close])
            let after = rest[rest.index(after: close)...]
            port = after.hasPrefix(":") ? Int(after.dropFirst()) : nil
        } else if let colon = rest.lastIndex(of: ":"), rest.firstIndex(of: ":") == colon, let value = Int(rest[rest.index(after: colon)...]) {
            host = String(rest[..<colon])
            port = value
        } else {
            host = String(rest)
        }
    }
}
