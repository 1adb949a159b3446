/// The safety rules every archive member must pass before it may be unpacked on a host.
struct TarEntryRules {
    /// What the members seen so far make, for hardlink targets and symlink resolution.
    private var tree = ReleaseTree()

    /// Checks one member; remembers what it makes for the members after it.
    mutating func check(type: UInt8, name rawName: String, linkName: String) throws(ArtifactError) {
        let path = TarPath(rawName)
        if path.isAbsolute {
            throw ArtifactError(.absolutePath, "entry '\(rawName)' has an absolute path")
        }
        if path.climbs {
            throw ArtifactError(.parentTraversal, "entry '\(rawName)' has a '..' component")
        }
        try checkNotThroughSymlink(name: rawName, path: path)
        let node: ReleaseTree.Node
        switch type {
        case UInt8(ascii: "3"), UInt8(ascii: "4"):
            throw ArtifactError(.deviceFile, "entry '\(rawName)' is a device file")
        case UInt8(ascii: "6"):
            throw ArtifactError(.deviceFile, "entry '\(rawName)' is a FIFO")
        case UInt8(ascii: "2"):
            node = .symlink(target: linkName)
        case UInt8(ascii: "1"):
            node = try hardlinkedNode(name: rawName, target: linkName)
        case UInt8(ascii: "5"):
            node = .directory
        case 0, UInt8(ascii: "0"), UInt8(ascii: "7"):
            node = .file
        default:
            // GNU sparse files unpack to any size, volume and multi-volume members are not files:
            // only what a release is made of is allowed.
            let flag = String(decoding: [type], as: UTF8.self)
            throw ArtifactError(.unsupportedType, "entry '\(rawName)' has tar type '\(flag)'; a release holds only files, directories, symlinks and hardlinks")
        }
        // Added before it is checked, so a link is resolved through itself as the kernel would.
        tree.add(node, at: path.canonical, name: rawName)
        if case .symlink(let target) = node {
            try checkSymlink(name: rawName, path: path, target: target)
        }
    }

    /// Follows every symlink again through the finished tree: a link that stayed inside when it
    /// was unpacked can leave once a later link exists (`c -> s/up/../etc`, then `s/up -> ..`).
    func finish() throws(ArtifactError) {
        for symlink in tree.symlinks {
            guard case .symlink(let target) = tree.node(at: symlink.path) else { continue }
            try checkSymlink(name: symlink.name, path: TarPath(symlink.name), target: target)
        }
    }

    /// A member below an earlier symlink would be written wherever that symlink points, which the
    /// lexical checks cannot see (`d -> .` then `d/up -> ../x` lands `up -> ../x` at the root).
    private func checkNotThroughSymlink(name: String, path: TarPath) throws(ArtifactError) {
        if let symlink = tree.symlink(above: path.components) {
            throw ArtifactError(.linkEscape, "entry '\(name)' is below symlink '\(symlink)', so it could be written outside the archive")
        }
    }

    /// Resolves the target through the links seen so far: every step must stay inside the release.
    private func checkSymlink(name: String, path: TarPath, target: String) throws(ArtifactError) {
        guard !target.isEmpty else {
            throw ArtifactError(.corrupt, "symlink '\(name)' has an empty target")
        }
        if target.hasPrefix("/") {
            throw ArtifactError(.linkEscape, "symlink '\(name)' points to absolute path '\(target)'")
        }
        switch tree.resolve(target, from: Array(path.components.dropLast())) {
        case .inside:
            break
        case .outside(nil):
            throw ArtifactError(.linkEscape, "symlink '\(name)' points to '\(target)', outside the archive")
        case .outside(let via?):
            throw ArtifactError(.linkEscape, "symlink '\(name)' points to '\(target)', outside the archive once symlink '\(via)' is followed")
        case .unresolved:
            throw ArtifactError(.linkEscape, "symlink '\(name)' points to '\(target)', which does not resolve within \(ReleaseTree.maxHops) symlinks (a loop), so where it leads cannot be checked")
        }
    }

    /// A hardlink must name an earlier member, not below a symlink; it makes what that member made
    /// (a hardlink to a symlink is a second symlink with the same relative target, at a new depth).
    private func hardlinkedNode(name: String, target: String) throws(ArtifactError) -> ReleaseTree.Node {
        let targetPath = TarPath(target)
        if targetPath.isAbsolute || targetPath.climbs {
            throw ArtifactError(.linkEscape, "hardlink '\(name)' points to '\(target)', outside the archive")
        }
        guard let node = tree.node(at: targetPath.canonical), !targetPath.components.isEmpty else {
            throw ArtifactError(.linkEscape, "hardlink '\(name)' points to '\(target)', which is not an earlier entry")
        }
        if let symlink = tree.symlink(above: targetPath.components) {
            throw ArtifactError(.linkEscape, "hardlink '\(name)' points to '\(target)', below symlink '\(symlink)'")
        }
        return node
    }
}
