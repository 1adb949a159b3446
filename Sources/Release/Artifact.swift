/// The container format of a release artifact.
public enum ArtifactFormat: String, Sendable, Hashable {
    /// An uncompressed tar archive.
    case tar
    /// A gzip-compressed tar archive.
    case tarGzip = "tar.gz"
}

/// A validated release artifact: a local tar or tar.gz file and its digest.
public struct Artifact: Sendable, Hashable {
    /// The local file.
    public var path: String
    /// SHA-256 of the file bytes, lowercase hex.
    public var sha256: String
    /// The file size in bytes.
    public var size: Int64
    /// Archive members (files, directories, links), not counting metadata headers.
    public var entryCount: Int
    /// Whether the tar is compressed.
    public var format: ArtifactFormat
    /// When the artifact was built, when it says (see `ArtifactBuildTime`).
    public var buildTime: ArtifactBuildTime?

    /// Creates an artifact description.
    public init(path: String, sha256: String, size: Int64, entryCount: Int, format: ArtifactFormat,
                buildTime: ArtifactBuildTime? = nil) {
        self.path = path
        self.sha256 = sha256
        self.size = size
        self.entryCount = entryCount
        self.format = format
        self.buildTime = buildTime
    }
}

/// Bounds that stop hostile or broken archives during inspection.
public struct ArtifactLimits: Sendable, Hashable {
    /// Most archive members accepted.
    public var maxEntries: Int
    /// Most bytes of file contents accepted once unpacked.
    public var maxUnpackedBytes: Int64
    /// Largest accepted ratio of decompressed tar bytes to compressed file bytes (past the first MiB).
    public var maxCompressionRatio: Int

    /// Creates limits; defaults are 100 000 entries, 4 GiB unpacked and a ratio of 200.
    public init(maxEntries: Int = 100_000, maxUnpackedBytes: Int64 = 4 << 30, maxCompressionRatio: Int = 200) {
        self.maxEntries = maxEntries
        self.maxUnpackedBytes = maxUnpackedBytes
        self.maxCompressionRatio = maxCompressionRatio
    }
}
