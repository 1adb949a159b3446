/// How a remote command ended. A non-zero exit is a result, not an error.
public struct CommandResult: Sendable, Hashable {
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
    /// Processes the command left running that held its output, stopped by the shared shell
    /// (``RemoteShell``): the command failed for that, whatever its own status.
    public var stoppedHolders: [Int] = []

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

/// Which remote stream a chunk of output came from.
public enum OutputStream: String, Sendable, Hashable {
    case stdout, stderr
}

/// Receives output as it arrives, on the session's thread: keep it quick and thread-safe.
/// Chunks are raw bytes and may split a UTF-8 character; see ``LineSplitter``.
public typealias OutputHandler = @Sendable (OutputStream, [UInt8]) -> Void
