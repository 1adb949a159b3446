import Diagnostics
@testable import Fleet

/// Inventories as `cutover` reads them: detect the format (or force one), parse, assemble, select hosts.
enum InventoryFuzzing {
    /// `--limit` expressions tried on every inventory that loads.
    static let selections = ["all", "web,db&zone=a,!web-3", "web-*:&db", "@missing"]

    static func run(_ text: String, as format: InventoryFormat) {
        let collector = DiagnosticCollector()
        let source = SourceText(path: ScratchFiles.directory + "/inventory", text: text)
        let paths = PathResolution.relative(toFile: source.path)
        let draft: InventoryDraft?
        switch format {
        case .native:
            draft = InventoryFormat.parse(source, paths: paths, collector: collector)
        case .ansibleINI:
            draft = InventoryFormat.ansibleDraft(AnsibleINIParser(source: source, collector: collector).parse(), paths: paths, collector: collector)
        case .ansibleYAML:
            let reader = YAMLReader(source: source, collector: collector)
            draft = YAMLDocument.parse(source, reportingTo: collector)?.root.map { root in
                InventoryFormat.ansibleDraft(AnsibleYAMLParser(reader: reader).parse(root: root, path: source.path), paths: paths, collector: collector)
            }
            if draft == nil, !collector.hasErrors {
                collector.report(.error("the inventory is empty"))
            }
        }
        var loaded = false
        if let draft {
            let inventory = InventoryAssembler(draft: draft, collector: collector).assemble()
            loaded = !collector.hasErrors
            if loaded { select(in: inventory, text) }
        }
        Expectation.valueOrDiagnostic(loaded: loaded, collector.diagnostics, input: text)
    }

    /// Every selection gives hosts or an explained error; every host has an address and a port.
    static func select(in inventory: Inventory, _ text: String) {
        for host in inventory.hosts {
            Expectation.check(!host.name.isEmpty, "a host without a name", text)
            for hop in inventory.jumpChain(for: host) {
                Expectation.check(hop.name != host.name, "host \(host.name) jumps through itself", text)
            }
        }
        for expression in selections {
            do {
                _ = try inventory.select(expression)
            } catch {
                Expectation.valueOrDiagnostic(loaded: false, error.diagnostics, input: text)
            }
        }
    }
}
