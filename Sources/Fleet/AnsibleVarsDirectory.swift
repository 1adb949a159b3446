import Diagnostics
import Foundation

/// `group_vars/` and `host_vars/` beside an inventory, read as ansible-core's `host_group_vars`
/// plugin reads them.
///
/// For a name `web` in `group_vars/`, the first of `web`, `web.yml`, `web.yaml`, `web.json` that
/// exists is used: a file is loaded; a directory contributes every file under it (recursively, in
/// name order, skipping hidden names and `~` backups) whose extension is none, `.yml`, `.yaml` or
/// `.json`, later files winning. Empty files count as nothing. The directory is found next to the
/// inventory file with symlinks resolved. A vault-encrypted file is an error (Cutover cannot decrypt it).
final class AnsibleVarsDirectory {
    typealias Variable = AnsibleVariables.Variable

    static let extensions = ["", ".yml", ".yaml", ".json"]

    let root: String
    let collector: DiagnosticCollector
    private var cache: [String: [String: Variable]] = [:]

    /// The vars directories beside `inventoryPath`.
    init(inventoryPath: String, collector: DiagnosticCollector) {
        let absolute = PathResolution.absolutePath(inventoryPath)
        let real = (absolute as NSString).resolvingSymlinksInPath
        self.root = (real as NSString).deletingLastPathComponent
        self.collector = collector
    }

    /// Variables `group_vars/<name>` sets.
    func groupVars(_ name: String) -> [String: Variable] {
        variables(subdirectory: "group_vars", name: name)
    }

    /// Variables `host_vars/<name>` sets.
    func hostVars(_ name: String) -> [String: Variable] {
        variables(subdirectory: "host_vars", name: name)
    }

    private func variables(subdirectory: String, name: String) -> [String: Variable] {
        let key = subdirectory + "/" + name
        if let cached = cache[key] { return cached }
        var result: [String: Variable] = [:]
        if !name.hasPrefix("/") {
            let directory = (root as NSString).appendingPathComponent(subdirectory)
            for file in files(in: directory, named: name) {
                for variable in load(file) {
                    result[variable.name] = variable
                }
            }
        }
        cache[key] = result
        return result
    }

    private func files(in directory: String, named name: String) -> [String] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else { return [] }
        let base = (directory as NSString).appendingPathComponent(name)
        for ext in Self.extensions {
            let candidate = base + ext
            guard FileManager.default.fileExists(atPath: candidate, isDirectory: &isDirectory) else { continue }
            return isDirectory.boolValue ? filesUnder(candidate) : [candidate]
        }
        return []
    }

    private func filesUnder(_ directory: String, depth: Int = 0) -> [String] {
        guard depth < 16, let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return [] }
        var found: [String] = []
        for name in names.sorted() where !name.hasPrefix(".") && !name.hasSuffix("~") {
            let path = (directory as NSString).appendingPathComponent(name)
            let ext = (name as NSString).pathExtension.isEmpty ? "" : "." + (name as NSString).pathExtension
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { continue }
            if isDirectory.boolValue {
                if ext.isEmpty { found += filesUnder(path, depth: depth + 1) }
            } else if Self.extensions.contains(ext) {
                found.append(path)
            }
        }
        return found
    }

    /// A vars file's top-level variables; problems are reported.
    private func load(_ path: String) -> [Variable] {
        let source: SourceText
        do {
            source = try SourceText.read(path: path)
        } catch {
            collector.report(contentsOf: error.diagnostics)
            return []
        }
        if source.text.hasPrefix("$ANSIBLE_VAULT;") {
            collector.report(source.diagnostic(.error, "vault-encrypted vars files are not supported (Cutover cannot decrypt them)", line: 1, column: 1))
            return []
        }
        guard let document = YAMLDocument.parse(source, reportingTo: collector) else { return [] }
        let reader = YAMLReader(source: source, collector: collector)
        guard let root = document.root, !reader.isNull(root) else { return [] }
        let values = AnsibleYAMLValues(reader: reader)
        guard let entries = values.entries(root, for: "a vars file") else { return [] }
        return entries.map { entry in
            let location = reader.location(of: entry.value)
            return Variable(
                name: entry.key, value: values.value(entry.value),
                point: SourcePoint(location: location, sourceLine: source.line(location.line)))
        }
    }
}
