/// `cutover upload`: one local file to the same path on every selected host.
public struct UploadRequest: Sendable, Hashable {
    public var connection: ConnectionSettings
    public var localPath: String
    /// Absolute path on the hosts; the file appears there only after its sha256 matched.
    public var remotePath: String
    public var timeout: Duration?

    public init(connection: ConnectionSettings, localPath: String, remotePath: String, timeout: Duration? = nil) {
        self.connection = connection
        self.localPath = localPath
        self.remotePath = remotePath
        self.timeout = timeout
    }
}
