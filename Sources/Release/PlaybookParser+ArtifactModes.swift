import Diagnostics
import Yams

extension PlaybookParser {
    /// `artifact_modes`: the values and what each means for the artifact check.
    static let artifactModes = ["safe", "preserve"]

    /// `safe` (the default: set-uid, set-gid, sticky and writable modes refused) → `false`,
    /// `preserve` (deployed as the archive has them) → `true`; anything else is an error.
    func preserveArtifactModes(_ node: Node) -> Bool? {
        guard let text = reader.string(node, for: "artifact_modes") else { return nil }
        guard Self.artifactModes.contains(text) else {
            reader.error("unknown artifact_modes '\(text)' (expected \(Self.artifactModes.joined(separator: " or ")))"
                + Suggestion.hint(for: text, in: Self.artifactModes), at: node)
            return nil
        }
        return text == "preserve"
    }
}
