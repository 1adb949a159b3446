import Analysis
import Diagnostics
import Foundation
public import Release
import Synchronization

/// Sends a run's `notify:` webhooks: a JSON POST (``DeployNotification``) on started, paused,
/// verdict, rolled_back and finished, to each webhook that asks for the event.
///
/// Notifications are a side effect: a webhook that is down, slow or answers an error is
/// warned about through `warn` and never changes the run's outcome or exit code. Each POST is
/// bounded by the webhook's `timeout` (connect, TLS, request and answer); redirects are not
/// followed. Notifications go out one after another, in the order of the events, on a task of
/// their own, so the engine never waits for them; ``finish()`` waits for the last one. A webhook
/// that gave no answer at all (refused, unreachable, silent past its timeout) gets nothing more
/// in this run: one dead endpoint costs the run one timeout, not one per notification (it
/// would otherwise hold the exit of a 3 a.m. rollback for as many timeouts as there are events).
///
/// Secrets: `{{ secrets.NAME }}` values, the URL's query and user info are registered with
/// ``SecretRedaction`` when the notifier is made, and messages show a webhook by its origin
/// only (`https://hooks.example.com/…`), so a token in a URL never reaches a log or a report.
public final class WebhookNotifier: Sendable {
    struct Target: Sendable {
        var webhook: Webhook
        var url: URL
        /// The origin, as messages show it.
        var shown: String
    }

    private struct Context: Sendable {
        var operation = "deploy"
        var app: String
        var deployID = ""
        var release: String?
        var hosts = 0
        var startedSent = false
        var rollbackReason: String?
        var environment: String?
    }

    let targets: [Target]
    private let warn: @Sendable (String) -> Void
    private let context: Mutex<Context>
    private let queue: AsyncStream<DeployNotification>.Continuation
    private let worker: Task<Void, Never>

    /// Nil when the playbook has no webhook. `runner`: the runner's environment, for
    /// `{{ secrets.NAME }}`; a webhook whose variable is unset is skipped with a warning.
    public init?(webhooks: [Webhook], app: String, environment: String? = nil, runner: [String: String],
                 warn: @escaping @Sendable (String) -> Void) {
        guard !webhooks.isEmpty else { return nil }
        var targets: [Target] = []
        for webhook in webhooks {
            let place = webhook.location.map { "\($0): " } ?? ""
            switch webhook.resolvedURL(runner) {
            case .failure(let missing):
                warn("warning: \(place)notify webhook skipped: $\(missing.name) is not set (its url names {{ secrets.\(missing.name) }})")
            case .success(let text):
                for name in webhook.secretNames { if let value = runner[name] { SecretRedaction.register(value) } }
                guard let url = URL(string: text), let components = URLComponents(url: url, resolvingAgainstBaseURL: false),
                      let host = components.host, !host.isEmpty else {
                    warn("warning: \(place)notify webhook skipped: its url is not a valid http(s) URL once its secrets are filled in")
                    continue
                }
                Self.registerSecrets(of: components)
                targets.append(Target(webhook: webhook, url: url, shown: Self.origin(of: components)))
            }
        }
        self.targets = targets
        self.warn = warn
        context = Mutex(Context(app: app, environment: environment))
        let (stream, queue) = AsyncStream<DeployNotification>.makeStream()
        self.queue = queue
        worker = Task { [targets, warn] in
            let silent = SilentTargets()
            for await notification in stream {
                await Self.deliver(notification, to: targets, silent: silent, warn: warn)
            }
        }
    }

    /// `sink`, with this notifier watching every event first.
    public func observing(_ sink: @escaping DeployEventSink) -> DeployEventSink {
        { [self] event in
            observe(event)
            sink(event)
        }
    }

    /// Queues the notification an event calls for, if any.
    public func observe(_ event: DeployEvent) {
        for notification in notifications(for: event, at: Date()) { queue.yield(notification) }
    }

    /// Waits until every queued notification was sent or gave up (each within its timeout).
    public func finish() async {
        queue.finish()
        await worker.value
    }

    /// What an event means for the webhooks (pure apart from the run's context).
    func notifications(for event: DeployEvent, at time: Date) -> [DeployNotification] {
        context.withLock { context in
            func make(_ kind: Webhook.Event, outcome: String? = nil, reason: String? = nil, wave: Int? = nil,
                      hosts: [String: Int]? = nil, duration: Int? = nil) -> DeployNotification {
                DeployNotification(event: kind, app: context.app, environment: context.environment, operation: context.operation,
                                   deployID: context.deployID, release: context.release, outcome: outcome, reason: reason, wave: wave,
                                   hosts: hosts ?? ["total": context.hosts], durationMilliseconds: duration, time: time)
            }
            switch event {
            case .started(let start):
                context.operation = start.operation.rawValue
                context.deployID = start.deployID
                if !start.app.isEmpty { context.app = start.app }
                // A deploy says more once it has a plan; other runs start here.
                guard start.operation != .deploy && start.operation != .resume else { return [] }
                context.startedSent = true
                return [make(.started)]
            case .planned(let plan):
                context.app = plan.app
                context.environment = plan.environment
                context.release = plan.release
                context.hosts = Set(plan.waves.flatMap { $0 }).count
                guard !context.startedSent else { return [] }
                context.startedSent = true
                return [make(.started)]
            case .paused(let wave, _, _):
                return [make(.paused, wave: wave)]
            case .analysis(let report):
                return [make(.verdict, outcome: report.verdict.rawValue, reason: report.reason, wave: report.wave)]
            case .rollbackStarted(let reason, _):
                context.rollbackReason = reason
                return []
            case .rollbackFinished(let hosts, let failed):
                let counts = ["total": context.hosts, "rolled_back": hosts.count - failed.count, "failed": failed.count]
                return [make(.rolledBack, outcome: failed.isEmpty ? "rolled_back" : "not_converged", reason: context.rollbackReason, hosts: counts)]
            case .finished(let report):
                if context.release == nil { context.release = report.release }
                var counts: [String: Int] = ["total": report.hosts.count]
                for state in DeployReport.HostFinalState.allCases { counts[state.rawValue] = 0 }
                for host in report.hosts { counts[host.state.rawValue, default: 0] += 1 }
                let (seconds, attoseconds) = report.duration.components
                return [make(.finished, outcome: report.outcome.rawValue, reason: report.reason, hosts: counts,
                             duration: Int(seconds * 1000 + attoseconds / 1_000_000_000_000_000))]
            default:
                return []
            }
        }
    }

    /// Sends one notification to every target that asks for it, at once; warns for each failure.
    /// `silent`: the targets (by index) that gave no answer earlier in the run; skipped.
    private static func deliver(_ notification: DeployNotification, to targets: [Target], silent: SilentTargets,
                                warn: @escaping @Sendable (String) -> Void) async {
        let body = notification.body(redacting: SecretRedaction.redact)
        let skipped = silent.indexes.withLock { $0 }
        await withTaskGroup(of: Void.self) { group in
            for (index, target) in targets.enumerated() where target.webhook.events.contains(notification.event) {
                if skipped.contains(index) {
                    warn("warning: notify \(target.shown): the \(notification.event.rawValue) notification was not sent: "
                         + "the webhook gave no answer earlier in this run")
                    continue
                }
                group.addTask {
                    let result = await HTTPGet.fetch(target.url, timeout: target.webhook.timeout, bodyLimit: 64 * 1024,
                                                     payload: HTTPPayload(body: body))
                    let problem: String? = switch result {
                    case .success(let response) where (200..<300).contains(response.status): nil
                    case .success(let response): "it answered \(response.status)" + ((300..<400).contains(response.status) ? " (redirects are not followed)" : "")
                    case .failure(let error): error.message
                    }
                    if case .failure = result { silent.indexes.withLock { _ = $0.insert(index) } }
                    if let problem {
                        warn("warning: notify \(target.shown): the \(notification.event.rawValue) notification was not delivered: \(problem) "
                             + "(the \(notification.operation)'s outcome and exit code are unchanged)")
                    }
                }
            }
        }
    }

    /// `https://hooks.example.com` (with a port other than the scheme's), and `/…` when there is more.
    static func origin(of components: URLComponents) -> String {
        let scheme = components.scheme?.lowercased() ?? "http"
        var text = "\(scheme)://\(components.host ?? "")"
        if let port = components.port { text += ":\(port)" }
        if !components.percentEncodedPath.isEmpty && components.percentEncodedPath != "/" || components.percentEncodedQuery != nil { text += "/…" }
        return text
    }

    /// The parts of a URL that may carry a token: the password, the whole query, the whole path,
    /// and the query values and path segments long enough to be tokens (Slack's, Discord's and
    /// Teams' webhook paths hold 24 to 68 characters of one). A shorter word (`env=production`'s
    /// `production`, a `/releases` path) is not registered alone: it would mask that word in
    /// every message, report and ledger record of the run.
    private static func registerSecrets(of components: URLComponents) {
        if let password = components.password { SecretRedaction.register(password) }
        if let query = components.percentEncodedQuery {
            SecretRedaction.register(query)
            for item in components.queryItems ?? [] {
                if let value = item.value, value.count >= tokenLength { SecretRedaction.register(value) }
            }
        }
        let path = components.percentEncodedPath
        guard path.count >= tokenLength else { return }
        SecretRedaction.register(path)
        for segment in path.split(separator: "/") where segment.count >= tokenLength { SecretRedaction.register(String(segment)) }
    }

    /// The shortest query value or path segment taken for a token on its own.
    static let tokenLength = 16
}

extension WebhookNotifier {
    /// The notifier for a playbook's `notify:`; nil when it has none or does not load (the run
    /// itself then reports why). `snapshot`: the run's (``PlaybookSnapshot``), so the playbook
    /// is read once for the webhooks and the run.
    public static func forPlaybook(_ name: String, snapshot: PlaybookSnapshot? = nil, environment: String? = nil, runner: [String: String],
                                   warn: @escaping @Sendable (String) -> Void) -> WebhookNotifier? {
        guard let playbook = try? PlaybookLoader.load(name, snapshot: snapshot) else { return nil }
        return WebhookNotifier(webhooks: playbook.notify, app: playbook.app, environment: environment, runner: runner, warn: warn)
    }
}

/// The webhooks (by index) that gave no answer earlier in a run.
final class SilentTargets: Sendable {
    let indexes = Mutex(Set<Int>())
}
