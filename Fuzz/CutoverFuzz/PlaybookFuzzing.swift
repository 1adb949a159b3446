import Diagnostics
@testable import Release

/// Playbooks and rollback policies as `PlaybookLoader` reads them, from text instead of a file.
enum PlaybookFuzzing {
    static func runPlaybook(_ text: String) {
        let collector = DiagnosticCollector()
        let source = SourceText(path: ScratchFiles.directory + "/Playbooks/web.yml", text: text)
        var playbook: Playbook?
        if let document = YAMLDocument.parse(source, reportingTo: collector) {
            let reader = YAMLReader(source: source, collector: collector)
            playbook = PlaybookParser(reader: reader, directory: ScratchFiles.directory + "/Playbooks").parse(root: document.root, path: source.path)
        }
        Expectation.valueOrDiagnostic(loaded: playbook != nil && !collector.hasErrors, collector.diagnostics, input: text)
    }

    static func runRollbackPolicy(_ text: String) {
        let collector = DiagnosticCollector()
        let source = SourceText(path: ScratchFiles.directory + "/Rollback/custom.yml", text: text)
        if let document = YAMLDocument.parse(source, reportingTo: collector) {
            let reader = YAMLReader(source: source, collector: collector)
            _ = RollbackPolicyParser(reader: reader).parse(root: document.root, name: "custom")
        }
        // A policy always comes back (the standard one with the file's changes); rejection is by diagnostics.
        Expectation.valueOrDiagnostic(loaded: true, collector.diagnostics, input: text)
    }
}
