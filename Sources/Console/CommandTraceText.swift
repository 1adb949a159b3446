import Diagnostics
import Synchronization
public import Rollout

/// `--verbose`: every remote command as sent (`h1 $ …`), its output as it arrives (`h1 | …`
/// stdout, `h1 ! …` stderr) and how it ended (`h1 = exit 0 (12 ms)`), on stderr, each line
/// timestamped, with the usual redaction. Secret values never reach the trace: they travel on the commands' stdin.
///
/// Output is redacted as a stream (``SecretStream``), per connection and stream: a secret the
/// host printed in two writes is hidden whole; the few bytes that could still begin one are
/// shown when more output comes or the command ends.
public final class CommandTraceText: Sendable {
    private let output: TerminalOutput

    public init(output: TerminalOutput) {
        self.output = output
    }

    /// A trace for one connection (whose commands run one after another).
    public func connectionTrace() -> CommandTraceSink {
        let streams = HeldOutput()
        return { [self] record in
            switch record {
            case .command(let host, let text):
                flush(streams, host: host)
                for line in text.split(separator: "\n", omittingEmptySubsequences: false) where !line.isEmpty {
                    output.err("\(DeployTextRenderer.stamp()) \(host) $ \(line)")
                }
            case .output(let host, let stream, let bytes):
                show(streams.append(bytes, to: stream), of: stream, host: host)
            case .ended(let host, let summary, let duration):
                flush(streams, host: host)
                output.err("\(DeployTextRenderer.stamp()) \(host) = \(summary) (\(DurationText.describe(duration)))")
            }
        }
    }

    /// Shows what each stream held back: its command ended (or another began).
    private func flush(_ streams: HeldOutput, host: String) {
        for stream in [CommandStream.stdout, .stderr] {
            show(streams.finish(stream), of: stream, host: host)
        }
    }

    private func show(_ bytes: [UInt8], of stream: CommandStream, host: String) {
        guard !bytes.isEmpty else { return }
        let mark = stream == .stdout ? "|" : "!"
        var text = String(decoding: bytes, as: UTF8.self)
        if text.hasSuffix("\n") { text.removeLast() }
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            output.err("\(DeployTextRenderer.stamp()) \(host) \(mark) \(line)")
        }
    }
}

/// The output streams of one connection's current command, each redacted as it arrives.
private final class HeldOutput: Sendable {
    private let streams = Mutex([CommandStream: SecretStream]())

    /// What of `bytes` can be shown now.
    func append(_ bytes: [UInt8], to stream: CommandStream) -> [UInt8] {
        streams.withLock { $0[stream, default: SecretStream()].append(bytes) }
    }

    /// What `stream` held back; the stream starts afresh.
    func finish(_ stream: CommandStream) -> [UInt8] {
        streams.withLock { $0[stream]?.finish() ?? [] }
    }
}
