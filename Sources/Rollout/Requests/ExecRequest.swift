/// `cutover exec`: one command on every selected host.
public struct ExecRequest: Sendable, Hashable {
    public var connection: ConnectionSettings
    /// The command, run by the remote user's shell exactly as given.
    public var command: String
    /// Per-host limit for the command (not for connecting); nil waits as long as it takes.
    public var timeout: Duration?
    /// The longest a host's command may print nothing before it is stopped and the host failed
    /// (a live but silent host); nil: no limit.
    public var noProgressTimeout: Duration?
    /// Stream output lines as they arrive (text output) rather than only collecting them.
    public var streamOutput: Bool

    /// The no-progress limit when neither it nor a `timeout` is given: 10 minutes.
    public static let defaultNoProgressTimeout: Duration = .seconds(600)

    /// - Parameter noProgressTimeout: nil takes ``defaultNoProgressTimeout``, unless a
    ///   `timeout` is given (that bound is the caller's choice then).
    public init(connection: ConnectionSettings, command: String, timeout: Duration? = nil, noProgressTimeout: Duration? = nil,
                streamOutput: Bool = true) {
        self.connection = connection
        self.command = command
        self.timeout = timeout
        self.noProgressTimeout = noProgressTimeout ?? (timeout == nil ? Self.defaultNoProgressTimeout : nil)
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
