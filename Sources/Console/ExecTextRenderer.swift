public import Rollout

/// `exec` and `check` for people: each output line prefixed with its host, a line per host
/// that failed, and a summary line. Output lines go to stdout (stderr lines to stderr);
/// status lines go to stderr so that stdout holds only what the hosts printed.
public final class ExecTextRenderer: Sendable {
    private let output: TerminalOutput
    private let verb: String

    public init(output: TerminalOutput, verb: String) {
        self.output = output
        self.verb = verb
    }

    public func render(_ event: FleetEvent) {
        switch event {
        case .started(let hosts, let parallel):
            output.err("\(verb): \(hosts.count) host\(hosts.count == 1 ? "" : "s"), \(min(parallel, hosts.count)) at a time")
        case .output(let host, let stream, let line):
            let text = line.isCut ? line.text + Self.cutMark : line.text
            switch stream {
            case .stdout: output.out("\(host) | \(text)")
            case .stderr: output.err("\(host) ! \(text)")
            }
        case .hostFinished(let outcome):
            output.err(Self.describe(outcome))
        case .finished(let summary):
            output.err(Self.describe(summary))
        }
    }

    /// After a piece of a line longer than the limit; the rest follows on the next line(s).
    static let cutMark = " [line cut at \(HostOutputLine.lineLimit / 1024) KiB]"

    static func describe(_ outcome: HostOutcome) -> String {
        let time = DurationText.describe(outcome.duration)
        switch outcome.status {
        case .ok:
            var line = "\(outcome.host): ok (\(time))"
            if let trust = outcome.hostKeyTrust { line = "\(outcome.host): ok, host key \(HostKeyText.describe(trust)) (\(time))" }
            if let upload = outcome.upload { line = "\(outcome.host): ok, \(upload.bytes) bytes, sha256 \(upload.sha256.prefix(12))… verified (\(time))" }
            return line
        case .failed:
            if let error = outcome.error {
                // A transport failure of a host that had answered: the connection was lost under it.
                let lost = error.isUnreachable ? "connection lost after the host answered: " : ""
                return "\(outcome.host): FAILED: \(lost)\(error.reason(about: outcome.host))"
            }
            return "\(outcome.host): FAILED: \(outcome.result?.summary ?? "no result") (\(time))"
        case .unreachable:
            return "\(outcome.host): UNREACHABLE: \(outcome.error.map { $0.reason(about: outcome.host) } ?? "no connection")"
        }
    }


    static func describe(_ summary: RunSummary) -> String {
        "\(summary.total) host\(summary.total == 1 ? "" : "s"): \(summary.ok) ok, \(summary.failed) failed, \(summary.unreachable) unreachable (\(DurationText.describe(summary.duration)))"
    }
}
