import Diagnostics
import Foundation
import Release

/// What one webhook POST says about a deploy (or resume, or rollback): the JSON body and its
/// Slack-compatible `text`. Built from the engine's events by ``WebhookNotifier``.
struct DeployNotification: Sendable, Hashable {
    var event: Webhook.Event
    var app: String
    /// The run's environment (the inventory's, `--environment`, or `default`), when it knows it.
    var environment: String?
    /// deploy, resume or rollback.
    var operation: String
    var deployID: String
    var release: String?
    /// finished: the outcome (`DeployOutcome`); verdict: the verdict; rolled_back: `rolled_back`
    /// or `not_converged`; nil for started and paused.
    var outcome: String?
    var reason: String?
    /// The canary step or batch a pause or verdict belongs to.
    var wave: Int?
    /// `total` and, per final state (finished) or group (rolled_back: `rolled_back`, `failed`), a count.
    var hosts: [String: Int]
    var durationMilliseconds: Int?
    var time: Date

    /// One line for a chat channel: `web (production): deploy of 2.0.0-3fa2c09be1d4 promoted on 4/4 hosts in 12.3 s`.
    var text: String {
        let subject = environment.map { $0 == EnvironmentName.unnamed ? app : "\(app) (\($0))" } ?? app
        let what = release.map { "\(operation) of \($0)" } ?? operation
        let total = hosts["total"] ?? 0
        var line: String
        switch event {
        case .started:
            line = "\(subject): \(what) started on \(total) host\(total == 1 ? "" : "s")"
        case .paused:
            line = "\(subject): \(what) paused after wave \(wave ?? 0), waiting for `cutover promote` or `cutover abort`"
        case .verdict:
            line = "\(subject): \(what): wave \(wave ?? 0) canary verdict \((outcome ?? "?").uppercased())"
        case .rolledBack:
            let back = hosts["rolled_back"] ?? 0, failed = hosts["failed"] ?? 0
            line = "\(subject): \(what): rolled back \(back) host\(back == 1 ? "" : "s")" + (failed > 0 ? ", \(failed) could not go back" : "")
        case .finished:
            let promoted = hosts["promoted"] ?? 0
            line = "\(subject): \(what) \((outcome ?? "finished").replacingOccurrences(of: "_", with: " ")) (\(promoted)/\(total) hosts promoted"
                + (durationMilliseconds.map { String(format: ", %.1f s", Double($0) / 1000) } ?? "") + ")"
        }
        if let reason, event != .started { line += ": " + reason }
        return line + " [\(deployID)]"
    }

    /// The JSON body: every key present (null when unknown), keys sorted, secrets redacted.
    func body(redacting redact: (String) -> String) -> [UInt8] {
        func value(_ text: String?) -> Any { text.map(redact) ?? NSNull() }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        var object: [String: Any] = [
            "schema": 1,
            "event": event.rawValue,
            "app": app,
            "operation": operation,
            "deploy": deployID,
            "release": value(release),
            "outcome": value(outcome),
            "reason": value(reason),
            "wave": wave.map { $0 as Any } ?? NSNull(),
            "hosts": hosts,
            "duration_ms": durationMilliseconds.map { $0 as Any } ?? NSNull(),
            "time": formatter.string(from: time),
            "text": redact(text),
        ]
        object["environment"] = value(environment)
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8)
        return Array(data)
    }
}
