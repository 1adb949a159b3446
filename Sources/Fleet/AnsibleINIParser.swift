import Diagnostics

/// Reads an Ansible INI inventory.
struct AnsibleINIParser {
    var source: SourceText
    var paths: PathResolution
    var collector: DiagnosticCollector

    static func looksLikeINI(_ source: SourceText) -> Bool { false }

    func parse() -> InventoryDraft? { nil }
}
