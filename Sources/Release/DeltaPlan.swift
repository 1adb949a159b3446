/// What a delta push sends and what the host builds from its older release: the files whose
/// content the host's older release already holds are copied there, everything else (changed
/// files, every directory and symlink) travels in a tar of those members alone.
///
/// Only the artifact's own paths ever reach the host's commands; the host's listing is used as
/// a lookup of hashes, never as a source of paths.
public struct DeltaPlan: Sendable {
    /// Files the host copies from its older release (same path, same sha256 there).
    public var copied: [ArtifactManifest.Entry]
    /// Members that travel: changed and new files, directories, symlinks.
    public var sent: [ArtifactManifest.Entry]
    /// Every directory of the release below its root, the ones tar makes on the way included,
    /// parents first.
    public var directories: [String]
    /// The finished tree as `find . \( -type l -printf 'l %p -> %l\n' \) -o -printf '%y %p\n'`
    /// prints it, sorted bytewise (`LC_ALL=C sort`).
    public var tree: String
    /// Every file's sha256 in `sha256sum` format.
    public var sums: String
    /// Every file's path, in the order of ``sums``.
    public var files: [String]
    /// ``sums`` as `openssl dgst -sha256 -r` prints it for ``files`` (`HASH *path`): the host
    /// compares OpenSSL's output with it as it is. Names are plain (``ArtifactManifest/isPlain(_:)``),
    /// so neither tool escapes them.
    public var digests: String

    /// The most bytes of arguments one command of the host's script gets when it is given a
    /// whole list (``copied``, ``files`` or ``directories``): each path, its NUL and its pointer.
    public var longestArgumentList: Int {
        func bytes(_ paths: [String]) -> Int { paths.reduce(0) { $0 + $1.utf8.count + 1 + 8 } }
        return max(bytes(copied.map(\.path)), bytes(files), bytes(directories))
    }

    /// Bytes of file data the host copies instead of receiving.
    public var copiedBytes: Int64 { copied.reduce(0) { $0 + $1.size } }

    /// A plan, or nil when nothing can be copied (the whole artifact is then cheaper to send).
    ///
    /// - Parameters:
    ///   - hostSums: the older release's listing (``HostFileManifest/parse(_:)``).
    ///   - shared: the playbook's shared paths; files at or below one always travel, since the
    ///     older release holds a link to `shared/` there, not the file.
    public init?(manifest: ArtifactManifest, hostSums: [String: String], shared: [String]) {
        guard manifest.deltaRefusal == nil else { return nil }
        let sharedPaths = shared.map { TarPath($0).canonical }
        func isShared(_ path: String) -> Bool {
            sharedPaths.contains { path == $0 || path.hasPrefix($0 + "/") }
        }
        var copied: [ArtifactManifest.Entry] = [], sent: [ArtifactManifest.Entry] = []
        var directories = Set<String>()
        var lines: [String] = ["d ."]
        for entry in manifest.entries {
            let components = entry.path.split(separator: "/")
            var prefix = ""
            for component in components.dropLast() {
                prefix += prefix.isEmpty ? String(component) : "/" + component
                directories.insert(prefix)
            }
            switch entry.kind {
            case .file:
                lines.append("f ./" + entry.path)
                if let sha256 = entry.sha256, hostSums[entry.path] == sha256, !isShared(entry.path) {
                    copied.append(entry)
                } else {
                    sent.append(entry)
                }
            case .directory:
                if !entry.path.isEmpty { directories.insert(entry.path) }
                sent.append(entry)
            case .symlink:
                lines.append("l ./" + entry.path + " -> " + entry.linkTarget)
                sent.append(entry)
            case .hardlink:
                return nil
            }
        }
        guard !copied.isEmpty else { return nil }
        lines += directories.map { "d ./" + $0 }
        let bytewise = { (a: String, b: String) in a.utf8.lexicographicallyPrecedes(b.utf8) }
        self.copied = copied
        self.sent = sent
        self.directories = directories.sorted(by: bytewise)
        tree = lines.sorted(by: bytewise).map { $0 + "\n" }.joined()
        sums = manifest.checksumText
        let fileEntries = manifest.entries.filter { $0.kind == .file }
        files = fileEntries.map(\.path)
        digests = fileEntries.map { ($0.sha256 ?? "") + " *" + $0.path + "\n" }.joined()
    }
}
