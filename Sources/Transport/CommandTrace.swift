/// What `--verbose` shows of a connection's remote commands: each command as sent, its output
/// as it arrives, and how it ended. Secrets never reach it: they travel on stdin.
public enum CommandTraceRecord: Sendable {
    case command(host: String, text: String)
    case output(host: String, stream: OutputStream, bytes: [UInt8])
    case ended(host: String, summary: String, duration: Duration)
}

public typealias CommandTrace = @Sendable (CommandTraceRecord) -> Void
