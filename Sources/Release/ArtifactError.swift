/// Why an artifact was rejected, naming the offending entry where there is one.
public struct ArtifactError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kind of problem, comparable in tests and switchable by callers via `==`.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Value: String, Sendable, Hashable {
            case unreadable, notATar, absolutePath, parentTraversal, linkEscape, deviceFile, unsupportedType, unsafeMode, tooManyEntries, bomb, corrupt
        }

        private let value: Value
        private init(_ value: Value) { self.value = value }

        /// The file cannot be opened or read.
        public static let unreadable = Code(.unreadable)
        /// The file is neither a tar nor a gzip-compressed tar.
        public static let notATar = Code(.notATar)
        /// An entry name is absolute.
        public static let absolutePath = Code(.absolutePath)
        /// An entry name has a `..` component.
        public static let parentTraversal = Code(.parentTraversal)
        /// A symlink or hardlink points outside the archive.
        public static let linkEscape = Code(.linkEscape)
        /// A character device, block device or FIFO.
        public static let deviceFile = Code(.deviceFile)
        /// A member type a release has no use for (GNU sparse, volume, multi-volume, …), or pax
        /// records that would change how later members unpack (global `path`, `GNU.sparse.*`).
        public static let unsupportedType = Code(.unsupportedType)
        /// A set-uid, set-gid or sticky bit (sticky only on files), or a group- or other-writable
        /// mode, which GNU tar would apply as it is; allowed only when the caller opts in.
        public static let unsafeMode = Code(.unsafeMode)
        /// More entries than the limit.
        public static let tooManyEntries = Code(.tooManyEntries)
        /// Too many unpacked bytes, or a suspicious compression ratio.
        public static let bomb = Code(.bomb)
        /// Broken gzip or tar structure (bad checksum, truncated data).
        public static let corrupt = Code(.corrupt)

        /// The code's name, such as `linkEscape`.
        public var description: String { value.rawValue }
    }

    /// The kind of problem.
    public var code: Code
    /// The human message, including the entry name where there is one.
    public var message: String

    /// Creates an error.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// Same as `message`.
    public var description: String { message }
}
