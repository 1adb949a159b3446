public import Diagnostics

/// A smoke test run after a wave's health checks: a command on the host (in the release
/// directory) or on the orchestrator, once per host, its output kept for the report. A command
/// on the orchestrator (`run_on: local`) gets a minimal environment, plus the runner's variables
/// named in `env:`.
public struct SmokeTest: Sendable, Hashable {
    public enum Location: String, Sendable, Hashable, CaseIterable {
        case host, local
    }

    public var command: Template
    public var runOn: Location
    public var timeout: Duration
    public var retries: Int
    public var interval: Duration
    /// `run_on: local`: names of the runner's environment variables passed to the command.
    public var environment: [String]
    public var location: SourceLocation?

    public init(command: Template, runOn: Location = .host, timeout: Duration = .seconds(60), retries: Int = 0,
                interval: Duration = .seconds(1), environment: [String] = [], location: SourceLocation? = nil) {
        self.command = command
        self.runOn = runOn
        self.timeout = timeout
        self.retries = retries
        self.interval = interval
        self.environment = environment
        self.location = location
    }
}
