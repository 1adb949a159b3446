import Diagnostics
import Foundation
import Yams

extension PlaybookParser {
    /// Keys of the `artifact_store` mapping.
    static let artifactStoreKeys = ["path", "url"]

    /// `artifact_store`: a directory (relative to the playbook's directory unless absolute), or
    /// `{ path: DIR, url: URL }` where `url` says where the hosts can download the same files
    /// over HTTP(S) (`distribution: pull`). An `http(s)://` text in place of the directory is a
    /// diagnostic: the runner reads (and `--store` writes) the directory; the hosts read the URL.
    func artifactStore(_ node: Node) -> (directory: String?, url: ArtifactStoreURLSetting?) {
        guard case .mapping = node else { return (storeDirectory(node, for: "artifact_store"), nil) }
        guard let entries = reader.mapping(node, for: "artifact_store") else { return (nil, nil) }
        var directory: String?, url: ArtifactStoreURLSetting?
        for entry in reader.rejectUnknownKeys(entries, allowed: Self.artifactStoreKeys, in: "artifact_store") {
            if entry.key == "path" {
                directory = storeDirectory(entry.value, for: "artifact_store.path")
            } else {
                url = storeURL(entry.value)
            }
        }
        if !entries.contains(where: { $0.key == "path" }) {
            reader.error("artifact_store needs 'path': the directory the runner reads artifacts from (and --store adds them to)", at: node)
        }
        return (directory, url)
    }

    private func storeDirectory(_ node: Node, for key: String) -> String? {
        guard let text = reader.string(node, for: key) else { return nil }
        if text.isEmpty {
            reader.error("'\(key)' must not be empty", at: node)
            return nil
        }
        let lower = text.lowercased()
        if lower.hasPrefix("http://") || lower.hasPrefix("https://") {
            reader.error("\(key): name a directory (a shared filesystem such as an NFS mount); "
                + "where the hosts download it over HTTP(S) goes in `artifact_store: { path: DIR, url: URL }`", at: node)
            return nil
        }
        return text.hasPrefix("/") ? text : (directory as NSString).appendingPathComponent(text)
    }

    /// The URL's own text never appears in a message: it may carry a token.
    private func storeURL(_ node: Node) -> ArtifactStoreURLSetting? {
        guard let text = reader.string(node, for: "artifact_store.url") else { return nil }
        switch ArtifactStoreURLSetting.parse(text) {
        case .success(let url): return url
        case .failure(let error):
            reader.error("artifact_store.url \(error.message)", at: node)
            return nil
        }
    }

    /// `distribution`: `direct` (the runner pushes), `pull` (the hosts download from the store) or
    /// `relay` (hosts pass it on to hosts).
    func distribution(_ node: Node) -> ArtifactDistribution? {
        guard let text = reader.string(node, for: "distribution") else { return nil }
        guard let value = ArtifactDistribution(rawValue: text) else {
            let names = ArtifactDistribution.allCases.map(\.rawValue)
            reader.error("unknown distribution '\(text)' (expected \(names.dropLast().joined(separator: ", ")) or \(names.last ?? ""))" + Suggestion.hint(for: text, in: names), at: node)
            return nil
        }
        return value
    }
}
