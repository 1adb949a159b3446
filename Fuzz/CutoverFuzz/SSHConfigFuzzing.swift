import Diagnostics
@testable import Fleet

/// An ssh_config applied to a small fixed inventory, as `InventoryLoader` does with `~/.ssh/config`.
enum SSHConfigFuzzing {
    static let inventory = """
    hosts:
      web-1: { address: 10.0.0.1 }
      web-2: {}
      bastion: {}
    groups:
      web: { hosts: [web-1, web-2] }
    """

    static func run(_ text: String) {
        let collector = DiagnosticCollector()
        let directory = ScratchFiles.directory
        // `Match exec` never runs what the fuzzer wrote: the local facts are fixed, exec answers
        // by the command's length.
        let local = SSHConfigLocal(home: directory, user: "deploy", userID: 1000, hostName: "runner", environment: [:],
                                   exec: { .exited($0.count % 2 == 0 ? 0 : 1) })
        let config = SSHConfigParser(home: directory, collector: collector, localUser: "deploy", local: local)
            .parse(SourceText(path: directory + "/ssh_config", text: text))
        let source = SourceText(path: directory + "/inventory.yml", text: inventory)
        var loaded = false
        if let draft = InventoryFormat.parse(source, paths: PathResolution.relative(toFile: source.path), collector: collector) {
            var assembler = InventoryAssembler(draft: draft, collector: collector)
            let lookup = SSHConfigLookup(config: config, collector: collector)
            assembler.sshLookup = { lookup.settings(for: $0, runsCommands: $1) }
            let result = assembler.assemble()
            loaded = !collector.hasErrors
            if loaded { InventoryFuzzing.select(in: result, text) }
        }
        Expectation.valueOrDiagnostic(loaded: loaded, collector.diagnostics, input: text)
    }
}
