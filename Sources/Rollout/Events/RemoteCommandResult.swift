import Transport

/// How a host's command ended, as Rollout reports it to renderers. A non-zero exit is a
/// result, not an error.
public struct RemoteCommandResult: Sendable, Hashable {
    /// The exit status; nil when the command was killed by a signal.
    public var exitStatus: Int32?
    /// The signal that ended the command (`TERM`, `KILL`, …), without the `SIG` prefix.
    public var signal: String?
    /// Captured standard output (at most the capture limit; see ``stdoutTruncated``).
    public var stdout: [UInt8]
    public var stderr: [UInt8]
    public var stdoutTruncated: Bool
    public var stderrTruncated: Bool
    public var duration: Duration

    public init(exitStatus: Int32?, signal: String?, stdout: [UInt8], stderr: [UInt8],
                stdoutTruncated: Bool = false, stderrTruncated: Bool = false, duration: Duration) {
        self.exitStatus = exitStatus
        self.signal = signal
        self.stdout = stdout
        self.stderr = stderr
        self.stdoutTruncated = stdoutTruncated
        self.stderrTruncated = stderrTruncated
        self.duration = duration
    }

    init(_ result: CommandResult) {
        self.init(exitStatus: result.exitStatus, signal: result.signal, stdout: result.stdout, stderr: result.stderr,
                  stdoutTruncated: result.stdoutTruncated, stderrTruncated: result.stderrTruncated, duration: result.duration)
    }

    public var succeeded: Bool { exitStatus == 0 }
    /// Standard output decoded as UTF-8 (invalid bytes become U+FFFD).
    public var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
    public var stderrText: String { String(decoding: stderr, as: UTF8.self) }

    /// "exit 3", "signal KILL".
    public var summary: String {
        if let signal { return "signal \(signal)" }
        return "exit \(exitStatus.map(String.init) ?? "?")"
    }
}
