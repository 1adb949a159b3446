public import Transport

/// `--verbose`: every remote command as sent (`h1 $ …`), its output as it arrives (`h1 | …`
/// stdout, `h1 ! …` stderr) and how it ended (`h1 = exit 0 (12 ms)`), on stderr, each line
/// timestamped, with the usual redaction. Secret values never reach the trace: they travel on the commands' stdin.
public final class CommandTraceText: Sendable {
    private let output: TerminalOutput

    public init(output: TerminalOutput) {
        self.output = output
    }

    public func render(_ record: CommandTraceRecord) {
        switch record {
        case .command(let host, let text):
            for line in text.split(separator: "\n", omittingEmptySubsequences: false) where !line.isEmpty {
                output.err("\(DeployTextRenderer.stamp()) \(host) $ \(line)")
            }
        case .output(let host, let stream, let bytes):
            let mark = stream == .stdout ? "|" : "!"
            var text = String(decoding: bytes, as: UTF8.self)
            if text.hasSuffix("\n") { text.removeLast() }
            for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
                output.err("\(DeployTextRenderer.stamp()) \(host) \(mark) \(line)")
            }
        case .ended(let host, let summary, let duration):
            output.err("\(DeployTextRenderer.stamp()) \(host) = \(summary) (\(DurationText.describe(duration)))")
        }
    }
}
