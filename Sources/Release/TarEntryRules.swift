/// The safety rules every archive member must pass before it may be unpacked on a host.
struct TarEntryRules {
    /// Names of the members seen so far, normalised, for hardlink targets.
    private var seen: Set<String> = []

    /// `./a/b/` → `a/b`; the archive root (`.`, `./`) becomes the empty string.
    static func normalise(_ name: String) -> String {
        var text = Substring(name)
        while text.hasPrefix("./") { text = text.dropFirst(2) }
        if text == "." { text = "" }
        while text.count > 1, text.hasSuffix("/") { text = text.dropLast() }
        return String(text)
    }

    /// Checks one member; remembers its name for later hardlinks.
    mutating func check(type: UInt8, name rawName: String, linkName: String) throws(ArtifactError) {
        let name = Self.normalise(rawName)
        if name.hasPrefix("/") {
            throw ArtifactError(.absolutePath, "entry '\(rawName)' has an absolute path")
        }
        let components = name.split(separator: "/", omittingEmptySubsequences: true)
        if components.contains("..") {
            throw ArtifactError(.parentTraversal, "entry '\(rawName)' has a '..' component")
        }
        switch type {
        case UInt8(ascii: "3"), UInt8(ascii: "4"):
            throw ArtifactError(.deviceFile, "entry '\(rawName)' is a device file")
        case UInt8(ascii: "6"):
            throw ArtifactError(.deviceFile, "entry '\(rawName)' is a FIFO")
        case UInt8(ascii: "2"):
            try checkSymlink(name: rawName, components: components, target: linkName)
        case UInt8(ascii: "1"):
            try checkHardlink(name: rawName, target: linkName)
        default:
            break
        }
        seen.insert(name)
    }

    private func checkSymlink(name: String, components: [Substring], target: String) throws(ArtifactError) {
        guard !target.isEmpty else {
            throw ArtifactError(.corrupt, "symlink '\(name)' has an empty target")
        }
        if target.hasPrefix("/") {
            throw ArtifactError(.linkEscape, "symlink '\(name)' points to absolute path '\(target)'")
        }
        var depth = components.count - 1
        for component in target.split(separator: "/", omittingEmptySubsequences: true) {
            if component == "." { continue }
            if component == ".." {
                depth -= 1
                if depth < 0 {
                    throw ArtifactError(.linkEscape, "symlink '\(name)' points to '\(target)', outside the archive")
                }
            } else {
                depth += 1
            }
        }
    }

    private func checkHardlink(name: String, target: String) throws(ArtifactError) {
        let normalised = Self.normalise(target)
        if target.hasPrefix("/") || normalised.split(separator: "/").contains("..") {
            throw ArtifactError(.linkEscape, "hardlink '\(name)' points to '\(target)', outside the archive")
        }
        guard seen.contains(normalised) else {
            throw ArtifactError(.linkEscape, "hardlink '\(name)' points to '\(target)', which is not an earlier entry")
        }
    }
}
