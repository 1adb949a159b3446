/// Every member of a release artifact with what it makes on the host: the file list with per-file
/// sha256 that a delta push compares against a host's older release.
///
/// Read from the validated tar by ``ArtifactManifestReader``. Paths are canonical (`TarPath`);
/// the release root is the empty path.
public struct ArtifactManifest: Sendable, Hashable {
    /// What a member makes.
    public enum Kind: Sendable, Hashable {
        case file
        case directory
        case symlink
        case hardlink
    }

    /// One member of the archive.
    public struct Entry: Sendable, Hashable {
        /// Canonical path inside the release; empty for the root.
        public var path: String
        public var kind: Kind
        /// Permission bits as the archive gives them; nil when the header's mode is unreadable.
        public var mode: Int?
        /// Modification time, Unix seconds.
        public var modified: Int64
        /// Data size (files only).
        public var size: Int64
        /// Lowercase hex sha256 of the data (files only).
        public var sha256: String?
        /// The symlink's or hardlink's target as the archive gives it.
        public var linkTarget: String
        /// Where the member's records lie in the uncompressed tar stream: from its first extended
        /// header through the padding after its data.
        public var range: Range<Int64>
    }

    /// The members in archive order.
    public var entries: [Entry]

    /// Why this artifact cannot be sent as a delta (nil when it can): hardlinks, a path made
    /// twice, names a line-based host listing cannot carry. Such an artifact is always pushed whole.
    public var deltaRefusal: String? {
        var seen = Set<String>()
        for entry in entries {
            if entry.kind == .hardlink { return "it has hardlinks ('\(entry.path)')" }
            if entry.mode == nil { return "'\(entry.path)' has an unreadable mode" }
            guard Self.isPlain(entry.path), entry.kind != .symlink || Self.isPlain(entry.linkTarget) else {
                return "a name holds control characters or a backslash"
            }
            guard seen.insert(entry.path).inserted else { return "'\(entry.path)' is made twice" }
        }
        return nil
    }

    /// Regular files with their sha256 in `sha256sum` format (`HASH  path`, one a line), the
    /// listing the host keeps as `.cutover/releases/<id>.files`.
    public var checksumText: String {
        var text = ""
        for entry in entries where entry.kind == .file {
            text += (entry.sha256 ?? "") + "  " + entry.path + "\n"
        }
        return text
    }

    /// Whether a name can travel in a line-based listing and a `sha256sum` check file unchanged:
    /// no control characters, no backslash (which `sha256sum` would escape).
    public static func isPlain(_ text: String) -> Bool {
        !text.utf8.contains { $0 < 0x20 || $0 == 0x7f || $0 == UInt8(ascii: "\\") }
    }
}
