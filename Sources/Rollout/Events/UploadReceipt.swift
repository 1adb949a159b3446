import Transport

/// What an upload sent and proved: its size, and the sha256 computed locally and confirmed by the host.
public struct UploadReceipt: Sendable, Hashable {
    public var bytes: Int64
    /// Lowercase hex sha256 of the file.
    public var sha256: String
    public var duration: Duration

    public init(bytes: Int64, sha256: String, duration: Duration) {
        self.bytes = bytes
        self.sha256 = sha256
        self.duration = duration
    }

    init(_ result: UploadResult) {
        self.init(bytes: result.bytes, sha256: result.sha256, duration: result.duration)
    }
}
