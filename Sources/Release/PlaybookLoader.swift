public import Diagnostics
import Foundation

/// Finds, reads and validates playbooks and rollback policies.
public enum PlaybookLoader {
    /// Loads a playbook by path, or by bare name as `Playbooks/<name>.yml` relative to the working directory.
    ///
    /// Every mistake is collected; a named rollback policy that cannot be found is reported at the `rollback:` value.
    /// With a `snapshot`, the file is read once for it: later loads of the same file answer
    /// what the first one did (see ``PlaybookSnapshot``); without, it is read every time.
    public static func load(_ nameOrPath: String, snapshot: PlaybookSnapshot? = nil) throws(DiagnosticError) -> Playbook {
        let path = playbookPath(for: nameOrPath)
        guard let snapshot else { return try read(path) }
        return try snapshot.playbook(at: absolute(path)) { () throws(DiagnosticError) -> Playbook in try read(path) }
    }

    private static func read(_ path: String) throws(DiagnosticError) -> Playbook {
        let collector = DiagnosticCollector()
        guard let document = try YAMLDocument.load(path: path, reportingTo: collector) else {
            try collector.check()
            throw DiagnosticError(diagnostics: collector.diagnostics)
        }
        let reader = YAMLReader(source: document.source, collector: collector)
        let directory = (absolute(path) as NSString).deletingLastPathComponent
        let playbook = PlaybookParser(reader: reader, directory: directory).parse(root: document.root, path: path)
        if let playbook, let name = playbook.rollbackPolicyName, policyPath(named: name, for: playbook) == nil {
            collector.report(notFound(name, for: playbook, source: document.source))
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
    /// With a `snapshot`, the policy file is read once for it, as the playbook is.
    public static func rollbackPolicy(for playbook: Playbook, snapshot: PlaybookSnapshot? = nil) throws(DiagnosticError) -> RollbackPolicy {
        guard let name = playbook.rollbackPolicyName else { return .standard }
        guard let snapshot else { return try loadRollbackPolicy(named: name, for: playbook) }
        return try snapshot.policy(named: name, playbookPath: absolute(playbook.path)) { () throws(DiagnosticError) -> RollbackPolicy in
            try loadRollbackPolicy(named: name, for: playbook)
        }
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

    /// `source`: the playbook's text when at hand; else its line is read again for the quote
    /// (never from a pipe, which has nothing left to give).
    private static func notFound(_ name: String, for playbook: Playbook, source: SourceText? = nil) -> Diagnostic {
        let message = "rollback policy '\(name)' not found (looked for Rollback/\(name).yml next to the playbook's directory and in the working directory)"
        guard let location = playbook.rollbackPolicyLocation else { return .error(message) }
        let line: String?
        if let source { line = source.line(location.line) } else { line = SourceText.quotedLine(location.line, path: location.file) }
        return .error(message, at: location, sourceLine: line)
    }

    private static func absolute(_ path: String) -> String {
        path.hasPrefix("/") ? path : (FileManager.default.currentDirectoryPath as NSString).appendingPathComponent(path)
    }
}
