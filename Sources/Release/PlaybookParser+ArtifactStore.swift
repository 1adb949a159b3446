import Diagnostics
import Foundation
import Yams

extension PlaybookParser {
    /// `artifact_store`: a directory (relative to the playbook's directory unless absolute).
    /// An `http(s)://` store is a diagnostic: Cutover reads directory stores only.
    func artifactStore(_ node: Node) -> String? {
        guard let text = reader.string(node, for: "artifact_store") else { return nil }
        if text.isEmpty {
            reader.error("'artifact_store' must not be empty", at: node)
            return nil
        }
        let lower = text.lowercased()
        if lower.hasPrefix("http://") || lower.hasPrefix("https://") {
            reader.error("artifact_store: HTTP(S) stores are not supported; name a directory (a shared filesystem such as an NFS mount)", at: node)
            return nil
        }
        return text.hasPrefix("/") ? text : (directory as NSString).appendingPathComponent(text)
    }
}
