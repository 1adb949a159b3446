import Analysis
import Diagnostics
import Foundation
import Release
public import Rollout

/// Deploy events for programs: JSON Lines on stdout. Every line has `schema` (the version of
/// `Schemas/events.schema.json` it follows), `time` (RFC 3339, UTC, milliseconds), `deploy`
/// (the operation's id) and `event` (a `DeployEventKind`), plus the fields of its kind. Upload
/// progress is left out (a few events a second per host, for the live view). Secrets are redacted.
public final class DeployJSONRenderer: Sendable {
    public static let schemaVersion = 1
    private let output: TerminalOutput
    private let stamper = EventStamper()

    public init(output: TerminalOutput) {
        self.output = output
    }

    public func render(_ event: DeployEvent) {
        render(stamper.stamp(event))
    }

    public func render(_ stamped: StampedEvent) {
        guard let line = Self.line(stamped) else { return }
        output.out(line)
    }

    /// One JSON line (no newline), or nil for events pipelines do not get (upload progress).
    public static func line(_ stamped: StampedEvent) -> String? {
        guard let object = Self.object(stamped) else { return nil }
        // Redacted before encoding: an escaped secret (`\"` for `"`) would no longer match.
        guard let data = try? JSONSerialization.data(withJSONObject: JSONRedaction.redact(object), options: [.sortedKeys, .withoutEscapingSlashes]) else { return nil }
        return JSONLine.escapingControls(String(decoding: data, as: UTF8.self))
    }

    static func object(_ stamped: StampedEvent) -> [String: Any]? {
        guard let kind = DeployEventKind(stamped.event) else { return nil }
        var object: [String: Any] = [
            "schema": schemaVersion,
            "time": timestamp(stamped.time),
            "deploy": stamped.deployID ?? "",
            "event": kind.rawValue,
        ]
        object.merge(fields(stamped.event)) { _, new in new }
        return object
    }

    /// `2026-11-25T19:45:00.123Z`.
    static func timestamp(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }

    /// The fields of each kind, as the schema names them.
    static func fields(_ event: DeployEvent) -> [String: Any] {
        switch event {
        case .started(let start):
            return ["operation": start.operation.rawValue, "app": start.app]
        case .planned(let plan):
            return ["app": plan.app, "release": plan.release, "artifact_sha256": plan.artifactSHA256, "strategy": plan.strategy,
                    "waves": plan.waves, "max_failures": plan.maxFailures, "rollback_policy": plan.rollbackPolicy,
                    "environment": plan.environment]
        case .promotion(let check):
            return ["environment": check.environment, "from": check.from, "decision": check.decision.rawValue,
                    "reason": check.reason, "override": nullable(check.overrideReason)]
        case .waveStarted(let index, let count, let hosts):
            return ["wave": index, "waves": count, "hosts": hosts]
        case .step(let host, let step, let state, let detail):
            return ["host": host, "step": step.rawValue, "state": state.rawValue, "detail": nullable(detail)]
        case .check(let check):
            return ["host": check.host, "step": check.step.rawValue, "check": check.check, "passed": check.passed, "detail": nullable(check.detail)]
        case .uploadProgress:
            return [:]  // not a JSON event (see DeployEventKind)
        case .bakeStarted(let canary, let baseline, let duration):
            return ["canary": canary, "baseline": baseline, "duration_ms": DurationText.milliseconds(duration)]
        case .kpiSample(let sample):
            var fields: [String: Any] = ["wave": sample.wave, "kpi": sample.kpi, "host": sample.host, "group": sample.group.rawValue, "value": number(sample.value)]
            if let breach = sample.breach { fields["breach"] = ["bound": breach.bound.rawValue, "limit": number(breach.limit)] }
            return fields
        case .analysis(let report):
            return ["wave": report.wave, "canary": report.canary, "baseline": report.baseline, "verdict": report.verdict.rawValue,
                    "score": number(report.score), "reason": report.reason,
                    "kpis": report.kpis.map { kpi -> [String: Any] in
                        ["name": kpi.name, "classification": kpi.classification.rawValue, "reason": kpi.reason,
                         "canary_aggregate": number(kpi.canaryAggregate), "baseline_aggregate": number(kpi.baselineAggregate),
                         "aggregate": nullable(kpi.aggregate), "max": number(kpi.max), "min": number(kpi.min),
                         "max_increase": number(kpi.maxIncrease), "critical": kpi.critical]
                    }]
        case .rollbackStarted(let reason, let hosts):
            return ["reason": reason, "hosts": hosts]
        case .rollbackFinished(let hosts, let failed):
            return ["hosts": hosts, "failed": failed, "verified": failed.isEmpty]
        case .paused(let wave, let timeout, let onTimeout):
            return ["wave": wave, "timeout_ms": DurationText.milliseconds(timeout), "on_timeout": onTimeout.rawValue]
        case .pauseAnswered(let action, let by):
            return ["action": action.rawValue, "by": by]
        case .hostStatus(let status):
            return StatusJSON.object(status)
        case .warning(let message, let hosts):
            return ["message": message, "hosts": hosts]
        case .finished(let report):
            return ["outcome": report.outcome.rawValue, "release": nullable(report.release), "reason": nullable(report.reason),
                    "duration_ms": DurationText.milliseconds(report.duration),
                    "hosts": report.hosts.map {
                        ["host": $0.host, "state": $0.state.rawValue, "release": nullable($0.release), "detail": nullable($0.detail),
                         "bytes_sent": $0.bytesSent] as [String: Any]
                    }]
        }
    }

    private static func nullable(_ text: String?) -> Any { text ?? NSNull() }

    /// JSON has no NaN or infinity: those are null, like a missing number.
    private static func number(_ value: Double?) -> Any {
        guard let value, value.isFinite else { return NSNull() }
        return value
    }
}

/// `cutover status --output json`: one `host_status` line per host.
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
            "unrecognised": status.unrecognised,
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
