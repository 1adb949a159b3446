/// What an upload sent and proved.
public struct UploadResult: Sendable, Hashable {
    public var bytes: Int64
    /// Lowercase hex sha256 of the file, as computed locally and confirmed by the host.
    public var sha256: String
    public var duration: Duration
}

/// A fault injected into an upload by tests.
struct UploadFault: Sendable {
    /// Flip the bits of the byte at this offset after hashing it, before sending it.
    var corruptByteAt: Int64
}
