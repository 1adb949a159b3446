/// `cutover exec`: one command on every selected host.
public struct ExecRequest: Sendable, Hashable {
    public var connection: ConnectionSettings
    /// The command, run by the remote user's shell exactly as given.
    public var command: String
    /// Per-host limit for the command (not for connecting); nil waits as long as it takes.
    public var timeout: Duration?
    /// Stream output lines as they arrive (text output) rather than only collecting them.
    public var streamOutput: Bool

    public init(connection: ConnectionSettings, command: String, timeout: Duration? = nil, streamOutput: Bool = true) {
        self.connection = connection
        self.command = command
        self.timeout = timeout
        self.streamOutput = streamOutput
    }
}

/// `cutover check`: validate the inventory and prove every selected host is reachable,
/// trusted (host key) and accepts us (auth).
public struct CheckRequest: Sendable, Hashable {
    public var connection: ConnectionSettings

    public init(connection: ConnectionSettings) {
        self.connection = connection
    }
}
