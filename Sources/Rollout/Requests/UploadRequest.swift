import Transport

/// `cutover upload`: one local file to the same path on every selected host.
public struct UploadRequest: Sendable, Hashable {
    public var connection: ConnectionSettings
    public var localPath: String
    /// Absolute path on the hosts; the file appears there only after its sha256 matched.
    public var remotePath: String
    public var timeout: Duration?
    /// Permission bits the file gets on the hosts (`--mode 0755`); nil: the local file's, less
    /// group and other write (as `scp` does with a 022 umask).
    public var mode: Int?
    /// The longest a host may accept no byte before its upload is stopped and the host failed.
    public var noProgressTimeout: Duration

    /// The no-progress limit unless one is given: 60 seconds.
    public static let defaultNoProgressTimeout = SSHConnection.defaultUploadNoProgressTimeout

    public init(connection: ConnectionSettings, localPath: String, remotePath: String, timeout: Duration? = nil, mode: Int? = nil,
                noProgressTimeout: Duration = UploadRequest.defaultNoProgressTimeout) {
        self.connection = connection
        self.localPath = localPath
        self.remotePath = remotePath
        self.timeout = timeout
        self.mode = mode
        self.noProgressTimeout = noProgressTimeout
    }
}
