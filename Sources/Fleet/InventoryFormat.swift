import Diagnostics
import Yams

/// The inventory file formats Cutover reads, and how to tell them apart.
enum InventoryFormat {
    case native
    case ansibleYAML
    case ansibleINI

    /// Detects the format and parses the file into a draft; `nil` when nothing usable could be read.
    ///
    /// A YAML mapping whose keys are only `environment`/`defaults`/`hosts`/`groups` is native; a YAML mapping with
    /// `all:` or group mappings holding `hosts:`/`children:`/`vars:` is Ansible YAML; text with `[group]`
    /// sections or `host key=value` lines that is not such YAML is Ansible INI.
    static func parse(_ source: SourceText, paths: PathResolution, collector: DiagnosticCollector) -> InventoryDraft? {
        if source.lines.allSatisfy({ $0.trimmingWhitespace().isEmpty || $0.trimmingWhitespace().hasPrefix("#") }) {
            collector.report(source.diagnostic(.error, "the inventory is empty", line: 1, column: 1))
            return nil
        }
        if AnsibleINIParser.startsWithSection(source) {
            return ansibleDraft(AnsibleINIParser(source: source, collector: collector).parse(), paths: paths, collector: collector)
        }
        // Plain host lines (`web-1 ansible_host=…`) are INI; YAML reads them as one scalar or fails.
        let yamlDiagnostics = DiagnosticCollector()
        let parsed = YAMLDocument.parse(source, reportingTo: yamlDiagnostics)
        var isScalar = false
        if case .scalar? = parsed?.root, let root = parsed?.root, root.null == nil { isScalar = true }
        if (parsed == nil || isScalar) && AnsibleINIParser.looksLikeINI(source) {
            return ansibleDraft(AnsibleINIParser(source: source, collector: collector).parse(), paths: paths, collector: collector)
        }
        collector.report(contentsOf: yamlDiagnostics.diagnostics)
        guard let document = parsed else { return nil }
        let reader = YAMLReader(source: source, collector: collector)
        guard let root = document.root, !reader.isNull(root) else {
            collector.report(source.diagnostic(.error, "the inventory is empty", line: 1, column: 1))
            return nil
        }
        switch detect(root) {
        case .ansibleYAML:
            return ansibleDraft(AnsibleYAMLParser(reader: reader).parse(root: root, path: source.path), paths: paths, collector: collector)
        default:
            return NativeInventoryParser(reader: reader, paths: paths).parse(root: root, path: source.path)
        }
    }

    /// Applies Ansible's variable precedence, `group_vars/` and `host_vars/` beside the file included.
    static func ansibleDraft(_ model: AnsibleInventoryModel, paths: PathResolution, collector: DiagnosticCollector) -> InventoryDraft {
        let directory = AnsibleVarsDirectory(inventoryPath: model.path, collector: collector)
        return AnsibleVariablePrecedence(model: model, varsDirectory: directory).draft(paths: paths, collector: collector)
    }

    /// Native unless the mapping has `all:` or only entries that look like Ansible groups.
    static func detect(_ root: Node) -> InventoryFormat {
        guard case .mapping(let mapping) = root else { return .native }
        let keys = mapping.keys.compactMap(\.string)
        if keys.allSatisfy(NativeInventoryParser.topLevelKeys.contains) { return .native }
        if keys.contains("all") { return .ansibleYAML }
        let groupKeys: Set<String> = ["hosts", "children", "vars"]
        let looksAnsible = mapping.values.allSatisfy { value in
            guard case .mapping(let group) = value else { return value.null != nil }
            return group.keys.compactMap(\.string).allSatisfy(groupKeys.contains)
        }
        let hasGroupBody = mapping.values.contains { value in
            guard case .mapping(let group) = value else { return false }
            return group.keys.compactMap(\.string).contains(where: groupKeys.contains)
        }
        return looksAnsible && hasGroupBody ? .ansibleYAML : .native
    }
}
