/// The safety rules every archive member must pass before it may be unpacked on a host.
struct TarEntryRules {
    /// Names of the members seen so far, normalised, for hardlink targets.
    private var seen: Set<String> = []
    /// Symlink members seen so far: normalised name → target.
    private var symlinks: [String: String] = [:]

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
        try checkNotThroughSymlink(name: rawName, components: components)
        switch type {
        case UInt8(ascii: "3"), UInt8(ascii: "4"):
            throw ArtifactError(.deviceFile, "entry '\(rawName)' is a device file")
        case UInt8(ascii: "6"):
            throw ArtifactError(.deviceFile, "entry '\(rawName)' is a FIFO")
        case UInt8(ascii: "2"):
            try checkSymlink(name: rawName, components: components, target: linkName)
            symlinks[name] = linkName
        case UInt8(ascii: "1"):
            try checkHardlink(name: rawName, components: components, target: linkName)
            if let symlinkTarget = symlinks[Self.normalise(linkName)] { symlinks[name] = symlinkTarget }
        case 0, UInt8(ascii: "0"), UInt8(ascii: "7"), UInt8(ascii: "5"):
            break
        default:
            // GNU sparse files unpack to any size, volume and multi-volume members are not files:
            // only what a release is made of is allowed.
            let flag = String(decoding: [type], as: UTF8.self)
            throw ArtifactError(.unsupportedType, "entry '\(rawName)' has tar type '\(flag)'; a release holds only files, directories, symlinks and hardlinks")
        }
        seen.insert(name)
    }

    /// A member below an earlier symlink would be written wherever that symlink points, which the
    /// lexical checks cannot see (`d -> .` then `d/up -> ../x` lands `up -> ../x` at the root).
    private func checkNotThroughSymlink(name: String, components: [Substring]) throws(ArtifactError) {
        guard !symlinks.isEmpty, components.count > 1 else { return }
        var prefix = ""
        for component in components.dropLast() {
            prefix += prefix.isEmpty ? String(component) : "/" + component
            if symlinks[prefix] != nil {
                throw ArtifactError(.linkEscape, "entry '\(name)' is below symlink '\(prefix)', so it could be written outside the archive")
            }
        }
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

    private func checkHardlink(name: String, components: [Substring], target: String) throws(ArtifactError) {
        let normalised = Self.normalise(target)
        if target.hasPrefix("/") || normalised.split(separator: "/").contains("..") {
            throw ArtifactError(.linkEscape, "hardlink '\(name)' points to '\(target)', outside the archive")
        }
        guard seen.contains(normalised) else {
            throw ArtifactError(.linkEscape, "hardlink '\(name)' points to '\(target)', which is not an earlier entry")
        }
        // A hardlink to a symlink is a second symlink with the same relative target, at a new depth.
        if let symlinkTarget = symlinks[normalised] {
            try checkSymlink(name: name, components: components, target: symlinkTarget)
        }
    }
}
