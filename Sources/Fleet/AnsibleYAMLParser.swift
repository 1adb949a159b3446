import Diagnostics
import Yams

/// Reads an Ansible YAML inventory: nested groups with `hosts`, `children` and `vars`.
///
/// The top level maps group names (usually just `all`) to group bodies. `all`'s hosts are ungrouped
/// hosts and its vars are inventory-wide defaults. A group or host that appears in several places
/// is merged (first appearance fixes order, later vars win).
struct AnsibleYAMLParser {
    var reader: YAMLReader
    var paths: PathResolution

    static let groupKeys = ["hosts", "children", "vars"]

    func parse(root: Node, path: String) -> InventoryDraft {
        var draft = InventoryDraft(path: path)
        guard let entries = reader.mapping(root, for: "the inventory") else { return draft }
        let variables = AnsibleVariables(paths: paths, collector: reader.collector, path: path)
        for entry in entries {
            group(entry, parent: nil, variables: variables, into: &draft, depth: 0)
        }
        return draft
    }

    private func point(_ node: Node) -> SourcePoint {
        let location = reader.location(of: node)
        return SourcePoint(location: location, sourceLine: reader.source.line(location.line))
    }

    private func group(_ entry: YAMLEntry, parent: String?, variables: AnsibleVariables, into draft: inout InventoryDraft, depth: Int) {
        let name = entry.key
        let namePoint = point(entry.keyNode)
        guard HostName.isValid(name) else {
            reader.error(HostName.invalidMessage(name, kind: "group"), at: entry.keyNode)
            return
        }
        if name == "all" && parent != nil {
            reader.error("group 'all' cannot be a child group", at: entry.keyNode)
            return
        }
        if name != "all" {
            _ = draft.groupIndex(named: name, point: namePoint)
            if let parent, parent != "all" {
                let parentIndex = draft.groupIndex(named: parent, point: namePoint)
                draft.groups[parentIndex].addChild(.init(name: name, point: namePoint))
            }
        }
        guard depth < 64, let fields = reader.mapping(entry.value, for: name, allowNull: true) else { return }
        for field in reader.rejectUnknownKeys(fields, allowed: Self.groupKeys, in: "group '\(name)'") {
            switch field.key {
            case "hosts":
                guard let hosts = reader.mapping(field.value, for: "hosts", allowNull: true) else { continue }
                for host in hosts {
                    self.host(host, group: name, variables: variables, into: &draft)
                }
            case "children":
                guard let children = reader.mapping(field.value, for: "children", allowNull: true) else { continue }
                for child in children {
                    group(child, parent: name, variables: variables, into: &draft, depth: depth + 1)
                }
            default:
                guard let vars = reader.mapping(field.value, for: "vars", allowNull: true) else { continue }
                draft.apply(variables.map(vars.map(variable)), toGroup: name, point: namePoint)
            }
        }
    }

    private func host(_ entry: YAMLEntry, group: String, variables: AnsibleVariables, into draft: inout InventoryDraft) {
        guard HostName.isValid(entry.key) else {
            reader.error(HostName.invalidMessage(entry.key, kind: "host"), at: entry.keyNode)
            return
        }
        let hostPoint = point(entry.keyNode)
        let index = draft.hostIndex(named: entry.key, point: hostPoint)
        if group != "all" {
            let groupIndex = draft.groupIndex(named: group, point: hostPoint)
            draft.groups[groupIndex].addHost(.init(name: entry.key, point: hostPoint))
        }
        guard let vars = reader.mapping(entry.value, for: entry.key, allowNull: true) else { return }
        draft.apply(variables.map(vars.map(variable)), toHostAt: index)
    }

    private func variable(_ entry: YAMLEntry) -> AnsibleVariables.Variable {
        AnsibleVariables.Variable(name: entry.key, value: InventoryValue(node: entry.value), point: point(entry.value))
    }
}
