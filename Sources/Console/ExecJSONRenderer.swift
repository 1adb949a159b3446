import Diagnostics
import Foundation
public import Rollout

/// `exec` and `check` for programs: one JSON object per host on stdout, as each host finishes;
/// the summary goes to stderr as text.
public final class ExecJSONRenderer: Sendable {
    private let output: TerminalOutput

    public init(output: TerminalOutput) {
        self.output = output
    }

    public func render(_ event: FleetEvent) {
        switch event {
        case .started, .output:
            break
        case .hostFinished(let outcome):
            output.out(Self.line(for: outcome))
        case .finished(let summary):
            output.err(ExecTextRenderer.describe(summary))
        }
    }

    struct Record: Encodable {
        let host: String
        let address: String
        let status: String
        let exit_status: Int32?
        let signal: String?
        let stdout: String
        let stderr: String
        let stdout_truncated: Bool
        let stderr_truncated: Bool
        let error: String?
        let error_code: String?
        let duration_ms: Int
        let bytes: Int64?
        let sha256: String?

        enum CodingKeys: String, CodingKey {
            case host, address, status, exit_status, signal, stdout, stderr, stdout_truncated, stderr_truncated,
                 error, error_code, duration_ms, bytes, sha256
        }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(host, forKey: .host)
            try c.encode(address, forKey: .address)
            try c.encode(status, forKey: .status)
            try c.encode(exit_status, forKey: .exit_status)
            try c.encode(signal, forKey: .signal)
            try c.encode(stdout, forKey: .stdout)
            try c.encode(stderr, forKey: .stderr)
            try c.encode(stdout_truncated, forKey: .stdout_truncated)
            try c.encode(stderr_truncated, forKey: .stderr_truncated)
            try c.encode(error, forKey: .error)
            try c.encode(error_code, forKey: .error_code)
            try c.encode(duration_ms, forKey: .duration_ms)
            try c.encodeIfPresent(bytes, forKey: .bytes)
            try c.encodeIfPresent(sha256, forKey: .sha256)
        }
    }

    static func line(for outcome: HostOutcome) -> String {
        let record = Record(
            host: outcome.host, address: outcome.address, status: outcome.status.rawValue,
            exit_status: outcome.result?.exitStatus, signal: outcome.result?.signal,
            // Redacted before encoding: an escaped secret would no longer match later.
            stdout: SecretRedaction.redact(outcome.result?.stdoutText ?? ""), stderr: SecretRedaction.redact(outcome.result?.stderrText ?? ""),
            stdout_truncated: outcome.result?.stdoutTruncated ?? false,
            stderr_truncated: outcome.result?.stderrTruncated ?? false,
            error: (outcome.error?.message ?? failureText(outcome)).map(SecretRedaction.redact),
            error_code: outcome.error?.code.rawValue,
            duration_ms: DurationText.milliseconds(outcome.duration),
            bytes: outcome.upload?.bytes, sha256: outcome.upload?.sha256)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(record) else { return "{\"host\":\"\(outcome.host)\",\"error\":\"encoding failed\"}" }
        return JSONLine.escapingControls(String(decoding: data, as: UTF8.self))
    }

    /// A command that ran but did not succeed still gets an error text, so `error == null` means success.
    private static func failureText(_ outcome: HostOutcome) -> String? {
        guard outcome.status != .ok, let result = outcome.result else { return nil }
        return "command ended with \(result.summary)"
    }
}
