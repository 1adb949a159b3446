public import Diagnostics
import Foundation

/// Finds, reads and validates playbooks and rollback policies.
public enum PlaybookLoader {
    /// Loads a playbook by path, or by bare name as `Playbooks/<name>.yml` relative to the working directory.
    ///
    /// Every mistake is collected; a named rollback policy that cannot be found is reported at the `rollback:` value.
    public static func load(_ nameOrPath: String) throws(DiagnosticError) -> Playbook {
        let path = playbookPath(for: nameOrPath)
        let collector = DiagnosticCollector()
        guard let document = try YAMLDocument.load(path: path, reportingTo: collector) else {
            try collector.check()
            throw DiagnosticError(diagnostics: collector.diagnostics)
        }
        let reader = YAMLReader(source: document.source, collector: collector)
        let directory = (absolute(path) as NSString).deletingLastPathComponent
        let playbook = PlaybookParser(reader: reader, directory: directory).parse(root: document.root, path: path)
        if let playbook, let name = playbook.rollbackPolicyName, policyPath(named: name, for: playbook) == nil {
            collector.report(notFound(name, for: playbook))
        }
        try collector.check()
        guard let playbook else { throw DiagnosticError(diagnostics: collector.diagnostics) }
        return playbook
    }

    /// Loads the rollback policy a playbook names, resolved next to the playbook then in the working directory.
    ///
    /// A bare name is looked up as `Rollback/<name>.yml` in the playbook directory's parent, then in the
    /// working directory; a name with `/` or a `.yml`/`.yaml` suffix is a path (relative to the playbook's
    /// directory first). The standard policy is built in: `standard` without a file gives `RollbackPolicy.standard`.
    public static func loadRollbackPolicy(named name: String, for playbook: Playbook) throws(DiagnosticError) -> RollbackPolicy {
        guard let path = policyPath(named: name, for: playbook) else {
            throw DiagnosticError(notFound(name, for: playbook))
        }
        if path.isEmpty { return .standard }
        let collector = DiagnosticCollector()
        let document = try YAMLDocument.load(path: path, reportingTo: collector)
        var policy = RollbackPolicy.standard
        if let document {
            let reader = YAMLReader(source: document.source, collector: collector)
            policy = RollbackPolicyParser(reader: reader).parse(root: document.root, name: policyName(name))
        }
        try collector.check()
        return policy
    }

    /// The policy a playbook uses: the named one, or `RollbackPolicy.standard` when it names none.
    public static func rollbackPolicy(for playbook: Playbook) throws(DiagnosticError) -> RollbackPolicy {
        guard let name = playbook.rollbackPolicyName else { return .standard }
        return try loadRollbackPolicy(named: name, for: playbook)
    }

    public static func playbookPath(for nameOrPath: String) -> String {
        let isPath = nameOrPath.contains("/") || nameOrPath.hasSuffix(".yml") || nameOrPath.hasSuffix(".yaml")
        return isPath ? nameOrPath : "Playbooks/\(nameOrPath).yml"
    }

    /// The policy file path; the empty string for the built-in `standard` without a file; `nil` when not found.
    static func policyPath(named name: String, for playbook: Playbook) -> String? {
        let files = FileManager.default
        let playbookDirectory = (absolute(playbook.path) as NSString).deletingLastPathComponent
        let candidates: [String]
        if name.contains("/") || name.hasSuffix(".yml") || name.hasSuffix(".yaml") {
            candidates = name.hasPrefix("/") ? [name] : [(playbookDirectory as NSString).appendingPathComponent(name), absolute(name)]
        } else {
            let sibling = ((playbookDirectory as NSString).deletingLastPathComponent as NSString).appendingPathComponent("Rollback")
            candidates = [sibling, absolute("Rollback")].flatMap { directory in
                ["yml", "yaml"].map { "\(directory)/\(name).\($0)" }
            }
        }
        if let found = candidates.first(where: { files.fileExists(atPath: $0) }) { return found }
        return name == "standard" ? "" : nil
    }

    private static func policyName(_ name: String) -> String {
        let file = (name as NSString).lastPathComponent
        return (file as NSString).deletingPathExtension
    }

    private static func notFound(_ name: String, for playbook: Playbook) -> Diagnostic {
        let message = "rollback policy '\(name)' not found (looked for Rollback/\(name).yml next to the playbook's directory and in the working directory)"
        guard let location = playbook.rollbackPolicyLocation else { return .error(message) }
        let line = (try? SourceText.read(path: location.file))?.line(location.line)
        return .error(message, at: location, sourceLine: line)
    }

    private static func absolute(_ path: String) -> String {
        path.hasPrefix("/") ? path : (FileManager.default.currentDirectoryPath as NSString).appendingPathComponent(path)
    }
}
