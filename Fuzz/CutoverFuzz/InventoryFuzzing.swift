import Diagnostics
@testable import Fleet

/// Inventories as `cutover` reads them: detect the format (or force one), parse, assemble, select hosts.
enum InventoryFuzzing {
    /// `--limit` expressions tried on every inventory that loads.
    /// The most hosts an input may expand to and still be assembled and selected from. An input
    /// that expands past it (`web[0:60000]` is 15 bytes) is parsed, not assembled: under
    /// AddressSanitizer assembling 55,000 hosts takes about 20 s, past the 5-s hang limit, and a
    /// loader's cost at scale is measured by the benchmarks (Scripts/bench-scale). Below it a
    /// quadratic step still shows as a hang (one was found so: 8,000 hosts took 7.5 s before
    /// `AnsibleInventoryModel` kept each group's members in a set).
    static let assembledHosts = 5_000

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
            let model = AnsibleINIParser(source: source, collector: collector).parse()
            guard model.hosts.count <= Self.assembledHosts else { return }
            draft = InventoryFormat.ansibleDraft(model, paths: paths, collector: collector)
        case .ansibleYAML:
            let reader = YAMLReader(source: source, collector: collector)
            if let root = YAMLDocument.parse(source, reportingTo: collector)?.root {
                let model = AnsibleYAMLParser(reader: reader).parse(root: root, path: source.path)
                guard model.hosts.count <= Self.assembledHosts else { return }
                draft = InventoryFormat.ansibleDraft(model, paths: paths, collector: collector)
            } else {
                draft = nil
                if !collector.hasErrors { collector.report(.error("the inventory is empty")) }
            }
        }
        if let draft, draft.hosts.count > Self.assembledHosts { return }
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
