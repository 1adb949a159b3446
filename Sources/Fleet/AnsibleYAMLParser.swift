import Diagnostics
import Yams

/// Reads an Ansible YAML inventory as ansible-core's `yaml` plugin does: nested groups with
/// `hosts`, `children` and `vars`.
///
/// The top level maps group names (usually just `all`) to group bodies. A host key is a host
/// pattern (``AnsibleHostPattern``: ranges such as `www[01:50]`, `:port`); a `hosts:` or
/// `children:` given as one string names one host or group. A group or host that appears in
/// several places is one (later vars win). Merge keys (`<<: *defaults`) are merged. Unknown keys in
/// a group are errors here (Ansible only warns and skips them).
struct AnsibleYAMLParser {
    var reader: YAMLReader

    static let groupKeys = ["hosts", "children", "vars"]

    private var values: AnsibleYAMLValues { AnsibleYAMLValues(reader: reader) }

    func parse(root: Node, path: String) -> AnsibleInventoryModel {
        var model = AnsibleInventoryModel(path: path)
        guard let entries = values.entries(root, for: "the inventory") else { return model }
        for entry in entries {
            _ = group(entry, parent: nil, into: &model, depth: 0)
        }
        return model
    }

    private func point(_ node: Node) -> SourcePoint {
        let location = reader.location(of: node)
        return SourcePoint(location: location, sourceLine: reader.source.line(location.line))
    }

    /// `hosts: web-1` and `children: web` name one entry.
    private func sectionEntries(_ node: Node, for context: String) -> [YAMLEntry]? {
        if case .scalar(let scalar) = node, !reader.isNull(node) {
            return [YAMLEntry(key: scalar.string, keyNode: node, value: .scalar(.init("", .implicit, .plain)))]
        }
        return values.entries(node, for: context, allowNull: true)
    }

    /// Adds the group and its contents; `false` when the name was refused.
    private func group(_ entry: YAMLEntry, parent: String?, into model: inout AnsibleInventoryModel, depth: Int) -> Bool {
        let name = entry.key
        guard HostName.isValid(name) else {
            reader.error(HostName.invalidMessage(name, kind: "group"), at: entry.keyNode)
            return false
        }
        if name == "all" && parent != nil {
            reader.error("group 'all' cannot be a child group", at: entry.keyNode)
            return false
        }
        model.addGroup(name, point: point(entry.keyNode))
        guard depth < 64, let fields = values.entries(entry.value, for: name, allowNull: true) else { return true }
        for field in reader.rejectUnknownKeys(fields, allowed: Self.groupKeys, in: "group '\(name)'") {
            switch field.key {
            case "hosts":
                guard let hosts = sectionEntries(field.value, for: "hosts") else { continue }
                for host in hosts {
                    self.host(host, group: name, into: &model)
                }
            case "children":
                guard let children = sectionEntries(field.value, for: "children") else { continue }
                for child in children {
                    guard group(child, parent: name, into: &model, depth: depth + 1) else { continue }
                    if let problem = model.addChild(child.key, to: name) {
                        reader.error(problem, at: child.keyNode)
                    }
                }
            default:
                guard let vars = values.entries(field.value, for: "vars", allowNull: true) else { continue }
                for variable in vars {
                    if let problem = model.setGroupVariable(self.variable(variable), group: name) {
                        reader.error(problem, at: variable.value)
                    }
                }
            }
        }
        return true
    }

    private func host(_ entry: YAMLEntry, group: String, into model: inout AnsibleInventoryModel) {
        let hostPoint = point(entry.keyNode)
        let pattern = AnsibleHostPattern(entry.key)
        let names: [String]
        do {
            names = try pattern.expand()
        } catch {
            reader.error(error.message, at: entry.keyNode)
            return
        }
        let vars = values.entries(entry.value, for: entry.key, allowNull: true)?.map(variable) ?? []
        for name in names {
            guard HostName.isValidHost(name) else {
                reader.error(HostName.invalidMessage(name, kind: "host"), at: entry.keyNode)
                continue
            }
            model.addHost(name, group: group, port: pattern.port, point: hostPoint)
            for variable in vars {
                model.setHostVariable(variable, host: name)
            }
        }
    }

    private func variable(_ entry: YAMLEntry) -> AnsibleVariables.Variable {
        AnsibleVariables.Variable(name: entry.key, value: values.value(entry.value), point: point(entry.value))
    }
}
