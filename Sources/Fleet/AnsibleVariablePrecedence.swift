import Diagnostics

/// Resolves each host's variables of an Ansible inventory with ansible-core's precedence, and turns
/// the result into a draft for ``InventoryAssembler`` plus the `ansible-inventory --list` view.
///
/// Lowest to highest (ansible-core's default `VARIABLE_PRECEDENCE`, then host vars):
/// 1. `all`'s vars from the inventory file;
/// 2. the vars of every other group the host is in (directly or through child groups), sorted by
///    depth (parents before children), then `ansible_group_priority`, then name;
/// 3. `group_vars/all`;
/// 4. `group_vars/<group>` for the same groups in the same order;
/// 5. the host's own vars from the inventory file (a `host:port` sets `ansible_port` here);
/// 6. `host_vars/<host>`.
/// So a `group_vars/` file beats any group's vars written in the inventory file, as in Ansible.
/// The resolved connection variables (`ansible_host`, `ansible_port`, `ansible_user`,
/// `ansible_ssh_private_key_file` and their older spellings) win over ssh_config, because Ansible
/// passes them to ssh on its command line.
struct AnsibleVariablePrecedence {
    typealias Variable = AnsibleVariables.Variable

    var model: AnsibleInventoryModel
    var varsDirectory: AnsibleVarsDirectory?

    /// Every variable of `host`, after precedence.
    func variables(of host: String, depths: [String: Int]) -> [String: Variable] {
        let groups = model.groups(of: host).sorted { left, right in
            let a = (depths[left] ?? 0, model.groups[left]?.priority ?? 1)
            let b = (depths[right] ?? 0, model.groups[right]?.priority ?? 1)
            if a != b { return a < b }
            return left.unicodeScalars.lexicographicallyPrecedes(right.unicodeScalars)
        }
        var result = model.groups["all"]?.vars ?? [:]
        for group in groups {
            result.merge(model.groups[group]?.vars ?? [:]) { _, new in new }
        }
        if let varsDirectory {
            result.merge(varsDirectory.groupVars("all")) { _, new in new }
            for group in groups {
                result.merge(varsDirectory.groupVars(group)) { _, new in new }
            }
        }
        result.merge(model.hosts[host]?.vars ?? [:]) { _, new in new }
        if let varsDirectory {
            result.merge(varsDirectory.hostVars(host)) { _, new in new }
        }
        return result
    }

    /// The draft the assembler merges (hosts carry their resolved settings and vars; groups their
    /// members and own vars) and the `--list` view.
    func draft(paths: PathResolution, collector: DiagnosticCollector) -> InventoryDraft {
        var model = model
        model.reconcile()
        let resolved = AnsibleVariablePrecedence(model: model, varsDirectory: varsDirectory)
        let depths = model.depths()
        // Variables are mapped once per host; a mistake in a group's variable is reported once.
        let perHost = DiagnosticCollector()
        let mapper = AnsibleVariables(paths: paths, collector: perHost, path: model.path)
        defer {
            var seen: Set<String> = []
            for diagnostic in perHost.diagnostics where seen.insert("\(diagnostic.location.map { "\($0.file):\($0.line):\($0.column)" } ?? "") \(diagnostic.message)").inserted {
                collector.report(diagnostic)
            }
        }
        var draft = InventoryDraft(path: model.path)
        var hostvars: [String: [String: InventoryValue]] = [:]
        for name in model.hostOrder {
            let variables = resolved.variables(of: name, depths: depths)
            hostvars[name] = variables.mapValues(\.value)
            let mapped = mapper.map(variables.values.sorted { $0.name < $1.name }, host: name)
            var entry = InventoryDraft.HostEntry(name: name, point: model.hosts[name]?.point)
            entry.settings = mapped.settings
            entry.vars = mapped.vars
            entry.labels = mapped.labels
            draft.hosts.append(entry)
        }
        for name in model.groupOrder where name != "all" && name != "ungrouped" {
            guard let group = model.groups[name] else { continue }
            var entry = InventoryDraft.GroupEntry(name: name, point: group.point)
            entry.hosts = group.hosts.map { .init(name: $0, point: group.point) }
            entry.children = group.children.map { .init(name: $0, point: group.point) }
            entry.vars = group.vars.mapValues(\.value)
            draft.groups.append(entry)
        }
        draft.listing = AnsibleListing(model: model, hostvars: hostvars)
        return draft
    }
}

extension AnsibleListing {
    /// The groups as `ansible-inventory --list` walks them from `all`, depth first, each once.
    init(model: AnsibleInventoryModel, hostvars: [String: [String: InventoryValue]]) {
        var groups: [Group] = []
        var seen: Set<String> = []
        func walk(_ name: String) {
            guard let group = model.groups[name] else { return }
            groups.append(Group(name: name, hosts: name == "all" ? [] : group.hosts, children: group.children))
            for child in group.children where seen.insert(child).inserted {
                walk(child)
            }
        }
        walk("all")
        self.init(groups: groups, hosts: model.hostOrder.map { HostVars(name: $0, vars: hostvars[$0] ?? [:]) })
    }
}
