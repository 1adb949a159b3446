public import Diagnostics

/// One check that a host serves the new release: a remote command, an HTTP request or a TCP connect.
public struct HealthCheck: Sendable, Hashable {
    /// What the check does.
    public enum Kind: Sendable, Hashable {
        /// A command run on the host in the release directory; exit status 0 passes.
        case command(Template)
        /// A GET from the orchestrator; 2xx passes unless a status is given.
        case http(url: Template, status: Int?)
        /// A TCP connect from the orchestrator to `host:port`.
        case tcp(Template)
    }

    /// What the check does.
    public var kind: Kind
    /// Limit for one attempt (default 5 seconds).
    public var timeout: Duration
    /// Extra attempts after a failure (default 0: one attempt).
    public var retries: Int
    /// Pause between attempts (default 1 second).
    public var interval: Duration
    /// Where the check was written, for messages.
    public var location: SourceLocation?

    /// Creates a check.
    public init(kind: Kind, timeout: Duration = .seconds(5), retries: Int = 0, interval: Duration = .seconds(1), location: SourceLocation? = nil) {
        self.kind = kind
        self.timeout = timeout
        self.retries = retries
        self.interval = interval
        self.location = location
    }
}
