import Diagnostics

/// Maps Ansible inventory variables onto Cutover's host model.
///
/// `ansible_host`, `ansible_port`, `ansible_user` and `ansible_ssh_private_key_file` (and the older
/// `ansible_ssh_host`/`_port`/`_user` spellings) become connection settings; every other variable,
/// including other `ansible_*` ones, is kept in `vars`. Variables named `zone`, `rack` or `region`
/// are also copied into labels, since Ansible has no labels.
struct AnsibleVariables {
    /// One variable with where it was written.
    struct Variable {
        var name: String
        var value: InventoryValue
        var point: SourcePoint?
    }

    /// What the variables of one host or group amount to.
    struct Mapped {
        var settings = ConnectionSettings()
        var vars: [String: InventoryValue] = [:]
        var labels: [String: String] = [:]
    }

    static let labelNames: Set<String> = ["zone", "rack", "region"]

    var paths: PathResolution
    var collector: DiagnosticCollector
    var path: String

    /// Maps variables in order; a later variable of the same name wins.
    func map(_ variables: [Variable]) -> Mapped {
        var mapped = Mapped()
        for variable in variables {
            let text = variable.value.description
            switch variable.name {
            case "ansible_host", "ansible_ssh_host":
                mapped.settings.address = text
            case "ansible_user", "ansible_ssh_user":
                mapped.settings.user = text
            case "ansible_port", "ansible_ssh_port":
                if let port = Int(text), (1...65535).contains(port) {
                    mapped.settings.port = port
                } else {
                    report(variable.point, "invalid port '\(text)' for '\(variable.name)' (expected 1...65535)")
                }
            case "ansible_ssh_private_key_file", "ansible_private_key_file":
                mapped.settings.identityFiles = [paths.resolve(text)]
            default:
                mapped.vars[variable.name] = variable.value
                if Self.labelNames.contains(variable.name) {
                    mapped.labels[variable.name] = text
                }
            }
        }
        return mapped
    }

    private func report(_ point: SourcePoint?, _ message: String) {
        collector.report(point?.error(message) ?? .error(message, at: SourceLocation(file: path, line: 1, column: 1)))
    }
}

extension InventoryDraft.GroupEntry {
    /// Appends host references not already present, keeping first-seen order.
    mutating func addHost(_ reference: InventoryDraft.NameReference) {
        if !hosts.contains(where: { $0.name == reference.name }) { hosts.append(reference) }
    }

    /// Appends a child group reference not already present.
    mutating func addChild(_ reference: InventoryDraft.NameReference) {
        if !children.contains(where: { $0.name == reference.name }) { children.append(reference) }
    }
}

extension InventoryDraft {
    /// Index of the host entry with this name, creating an empty one (at `point`) when new.
    mutating func hostIndex(named name: String, point: SourcePoint?) -> Int {
        if let index = hosts.firstIndex(where: { $0.name == name }) { return index }
        hosts.append(HostEntry(name: name, point: point))
        return hosts.count - 1
    }

    /// Index of the group entry with this name, creating an empty one (at `point`) when new.
    mutating func groupIndex(named name: String, point: SourcePoint?) -> Int {
        if let index = groups.firstIndex(where: { $0.name == name }) { return index }
        groups.append(GroupEntry(name: name, point: point))
        return groups.count - 1
    }

    /// Merges mapped host variables into a host entry (new values win).
    mutating func apply(_ mapped: AnsibleVariables.Mapped, toHostAt index: Int) {
        hosts[index].settings = mapped.settings.filling(from: hosts[index].settings)
        hosts[index].vars.merge(mapped.vars) { _, new in new }
        hosts[index].labels.merge(mapped.labels) { _, new in new }
    }

    /// Merges mapped group variables into a group entry, or into the `all` layer for `all`.
    mutating func apply(_ mapped: AnsibleVariables.Mapped, toGroup name: String, point: SourcePoint?) {
        if name == "all" {
            defaults = mapped.settings.filling(from: defaults)
            commonVars.merge(mapped.vars) { _, new in new }
            commonLabels.merge(mapped.labels) { _, new in new }
            return
        }
        let index = groupIndex(named: name, point: point)
        groups[index].settings = mapped.settings.filling(from: groups[index].settings)
        groups[index].vars.merge(mapped.vars) { _, new in new }
        groups[index].labels.merge(mapped.labels) { _, new in new }
    }
}
