import Diagnostics
import Foundation
public import Rollout

/// Deploy events for programs: JSON Lines on stdout, each with `schema`, `time`, `event`.
public final class DeployJSONRenderer: Sendable {
    public static let schemaVersion = 1
    private let output: TerminalOutput

    public init(output: TerminalOutput) {
        self.output = output
    }

    /// RFC 3339 UTC with milliseconds (`2026-11-25T21:30:05.123Z`): events a few ms apart stay ordered.
    static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: date)
    }

    public func render(_ event: DeployEvent) {
        var object: [String: Any] = ["schema": Self.schemaVersion, "time": Self.timestamp(Date())]
        switch event {
        case .planned(let plan):
            object["event"] = "plan"
            object["deploy"] = plan.deployID
            object["app"] = plan.app
            object["release"] = plan.release
            object["artifact_sha256"] = plan.artifactSHA256
            object["strategy"] = plan.strategy
            object["waves"] = plan.waves
            object["max_failures"] = plan.maxFailures
            object["rollback_policy"] = plan.rollbackPolicy
        case .waveStarted(let index, let count, let hosts):
            object["event"] = "wave_started"
            object["wave"] = index
            object["waves"] = count
            object["hosts"] = hosts
        case .step(let host, let step, let state, let detail):
            object["event"] = state == .started ? "host_step_started" : "host_step_finished"
            object["host"] = host
            object["step"] = step.rawValue
            object["state"] = state.rawValue
            object["detail"] = detail ?? NSNull()
        case .uploadProgress:
            return  // a few a second per host: for the live view, not for pipelines
        case .bakeStarted(let canary, let baseline, let duration):
            object["event"] = "bake_started"
            object["canary"] = canary
            object["baseline"] = baseline
            object["duration_ms"] = DurationText.milliseconds(duration)
        case .kpiSample(let host, let kpi, let value):
            object["event"] = "kpi_sample"
            object["host"] = host
            object["kpi"] = kpi
            object["value"] = value
        case .rollbackStarted(let reason, let hosts):
            object["event"] = "rollback_started"
            object["reason"] = reason
            object["hosts"] = hosts
        case .analysis(let report):
            object["event"] = "verdict"
            object["wave"] = report.wave
            object["canary"] = report.canary
            object["baseline"] = report.baseline
            object["verdict"] = report.verdict
            object["score"] = report.score ?? NSNull()
            object["reason"] = report.reason
            object["kpis"] = report.kpis.map { ["name": $0.name, "classification": $0.classification, "reason": $0.reason] }
        case .paused(let wave, let timeout, let onTimeout):
            object["event"] = "paused"
            object["wave"] = wave
            object["timeout_ms"] = DurationText.milliseconds(timeout)
            object["on_timeout"] = onTimeout
        case .pauseAnswered(let action, let by):
            object["event"] = "pause_answered"
            object["action"] = action
            object["by"] = by
        case .hostStatus(let status):
            object = StatusJSON.object(status)
        case .finished(let report):
            object["event"] = "finished"
            object["deploy"] = report.deployID
            object["outcome"] = report.outcome.rawValue
            object["release"] = report.release ?? NSNull()
            object["reason"] = report.reason ?? NSNull()
            object["duration_ms"] = DurationText.milliseconds(report.duration)
            object["hosts"] = report.hosts.map {
                ["host": $0.host, "state": $0.state.rawValue, "release": $0.release ?? NSNull(), "detail": $0.detail ?? NSNull()] as [String: Any]
            }
        }
        // Redacted before encoding: an escaped secret (`\"` for `"`) would no longer match.
        guard let data = try? JSONSerialization.data(withJSONObject: JSONRedaction.redact(object), options: [.sortedKeys, .withoutEscapingSlashes]) else { return }
        output.out(String(decoding: data, as: UTF8.self))
    }
}

/// `cutover status --output json`: one object per host.
enum StatusJSON {
    static func object(_ status: HostStatusReport) -> [String: Any] {
        [
            "host": status.host,
            "reachable": status.reachable,
            "current": status.current ?? NSNull(),
            "previous": status.previous ?? NSNull(),
            "releases": status.releases,
            "live_slot": status.liveSlot ?? NSNull(),
            "slots": status.slots,
            "lock": status.lock.map { $0 as Any } ?? NSNull(),
            "last_step": status.lastStep ?? NSNull(),
            "error": status.error ?? NSNull(),
        ]
    }
}

/// Secrets taken out of every string of a JSON object, before it is encoded.
enum JSONRedaction {
    static func redact(_ value: Any) -> Any {
        switch value {
        case let text as String: return SecretRedaction.redact(text)
        case let list as [Any]: return list.map(redact)
        case let object as [String: Any]: return object.mapValues(redact)
        default: return value
        }
    }
}
