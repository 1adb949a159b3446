import Foundation

/// The parsed contents of one OpenSSH known_hosts file.
public struct KnownHostsFile: Sendable, Hashable {
    /// A line that was not understood and is therefore ignored.
    public struct SkippedLine: Sendable, Hashable {
        /// The 1-based line number.
        public var line: Int
        /// Why the line was skipped.
        public var reason: String
    }

    /// The file's path (with `~` expanded).
    public var path: String
    /// The usable key lines, in file order.
    public var entries: [KnownHostsEntry]
    /// Malformed lines that were skipped, kept for diagnostics.
    public var skipped: [SkippedLine]

    /// Parses known_hosts text; malformed lines are recorded in `skipped`, never fatal.
    public init(path: String, contents: String) {
        self.path = path
        var entries: [KnownHostsEntry] = []
        var skipped: [SkippedLine] = []
        let lines = contents.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r\n" }
        for (index, rawLine) in lines.enumerated() {
            switch KnownHostsLineParser.parse(rawLine, line: index + 1) {
            case .blank: break
            case .entry(let entry): entries.append(entry)
            case .skipped(let reason): skipped.append(SkippedLine(line: index + 1, reason: reason))
            }
        }
        self.entries = entries
        self.skipped = skipped
    }

    /// Reads and parses the file at `path`; a missing file is treated as empty.
    public static func load(path: String) throws(HostKeyError) -> KnownHostsFile {
        let expanded = expandedPath(path)
        let data = try contents(ofExpanded: expanded) ?? Data()
        return KnownHostsFile(path: expanded, contents: String(decoding: data, as: UTF8.self))
    }

    /// The bytes of the file at the expanded path, or nil when it does not exist.
    static func contents(ofExpanded expanded: String) throws(HostKeyError) -> Data? {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: expanded, isDirectory: &isDirectory) else {
            return nil
        }
        guard !isDirectory.boolValue else {
            throw HostKeyError(code: .io, description: "known_hosts path \(expanded) is a directory, not a file")
        }
        do {
            return try Data(contentsOf: URL(fileURLWithPath: expanded))
        } catch {
            throw HostKeyError(code: .io, description: "cannot read known_hosts file \(expanded): \(error.localizedDescription)")
        }
    }

    /// Expands a leading `~` to the home directory.
    static func expandedPath(_ path: String) -> String {
        path.hasPrefix("~") ? NSString(string: path).expandingTildeInPath : path
    }
}
