import Transport

/// What `--verbose` shows of a connection's remote commands: each command as sent, its output
/// as it arrives, and how it ended. Secrets never reach it: they travel on stdin.
public enum CommandTraceEvent: Sendable {
    case command(host: String, text: String)
    case output(host: String, stream: CommandStream, bytes: [UInt8])
    case ended(host: String, summary: String, duration: Duration)

    init(_ record: CommandTraceRecord) {
        switch record {
        case .command(let host, let text): self = .command(host: host, text: text)
        case .output(let host, let stream, let bytes): self = .output(host: host, stream: CommandStream(stream), bytes: bytes)
        case .ended(let host, let summary, let duration): self = .ended(host: host, summary: summary, duration: duration)
        }
    }
}

/// Receives one connection's trace, in order.
public typealias CommandTraceSink = @Sendable (CommandTraceEvent) -> Void
