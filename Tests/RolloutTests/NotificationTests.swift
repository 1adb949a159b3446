import Analysis
import Diagnostics
import Foundation
import Release
@testable import Rollout
import Synchronization
import TestSupport
import Testing

/// `notify:` webhooks: a real receiver on loopback gets a JSON POST per event it asks for,
/// with the app, release, outcome, host counts and a Slack-compatible `text`; a dead or failing
/// receiver only causes a warning, never another exit code; tokens in the URL never show.
@Suite("notify webhooks", .timeLimit(.minutes(3)))
struct NotificationTests {
    @Test func everyDeployNotifiesAndADeadReceiverChangesNothing() async throws {
        try await TestFleet.with(hosts: 2) { fleet in
            let fixture = try DeployFixture(fleet: fleet)
            let receiver = try WebhookReceiver()
            defer { receiver.stop() }
            let dead = try WebhookReceiver()
            dead.stop()  // nothing listens there: connection refused
            let failing = try WebhookReceiver()
            defer { failing.stop() }
            failing.respond(with: 500)
            // The inventory names its environment: every notification carries it.
            let inventory = try String(contentsOfFile: fleet.inventoryPath, encoding: .utf8)
            try ("environment: staging\n" + inventory).write(toFile: fleet.inventoryPath, atomically: true, encoding: .utf8)
            let token = "tok-\(UUID().uuidString)"
            let query = "qs-\(UUID().uuidString)"
            let playbook = try fixture.playbook(strategy: "all-at-once", extra: """
            notify:
              - url: "\(receiver.url("/all/{{ secrets.HOOK_TOKEN }}"))?key=\(query)"
              - url: \(receiver.url("/finished"))
                events: [finished]
              - url: \(dead.url("/dead"))
                timeout: 2s
              - url: \(failing.url("/failing/{{ secrets.HOOK_TOKEN }}"))
            """)
            let environment = ProcessInfo.processInfo.environment.merging(["HOOK_TOKEN": token]) { _, new in new }
            let common = ["-i", fleet.inventoryPath, "--ssh-config", "none", "--ledger", "none"]
            let v1 = try await Shell.runDetached([RepositoryPaths.cutoverExecutable, "deploy", playbook] + common
                                                 + ["--artifact", try await fixture.artifact(version: "1.0.0"), "--output", "json"], environment: environment)
            #expect(v1.status == 0, "\(v1.stderr)")
            let release = try #require(fixture.current("h1"))
            #expect(v1.stderr.contains("warning: notify \(dead.url(""))/…: the started notification was not delivered"), "\(v1.stderr)")
            #expect(v1.stderr.contains("warning: notify \(dead.url(""))/…: the finished notification was not sent: the webhook gave no answer earlier"),
                    "\(v1.stderr)")
            #expect(v1.stderr.contains("warning: notify \(failing.url(""))/…: the started notification was not delivered: it answered 500"), "\(v1.stderr)")
            #expect(!v1.output.contains(token) && !v1.output.contains(query), "a webhook token was shown: \(v1.output)")

            let all = receiver.requests.filter { $0.target.hasPrefix("/all/") }
            #expect(all.allSatisfy { $0.target == "/all/\(token)?key=\(query)" && $0.method == "POST" })
            #expect(all.allSatisfy { $0.headers["content-type"] == "application/json" })
            #expect(all.compactMap { $0.json?["event"] as? String } == ["started", "finished"])
            let finished = try #require(receiver.requests.last { $0.target == "/finished" }?.json)
            #expect(receiver.requests.filter { $0.target == "/finished" }.count == 1)
            #expect(finished["app"] as? String == "web")
            #expect(finished["environment"] as? String == "staging")
            #expect(finished["release"] as? String == release)
            #expect(finished["outcome"] as? String == "promoted")
            #expect(finished["operation"] as? String == "deploy")
            let hosts = try #require(finished["hosts"] as? [String: Int])
            #expect(hosts["total"] == 2 && hosts["promoted"] == 2)
            let text = try #require(finished["text"] as? String)
            #expect(text.hasPrefix("web (staging): deploy of \(release) promoted"), "\(text)")

            // A release that fails its health check: rolled back, exit 3 as without webhooks.
            let v2 = try await Shell.runDetached([RepositoryPaths.cutoverExecutable, "deploy", playbook] + common
                                                 + ["--artifact", try await fixture.artifact(version: "2.0.0", healthy: false)], environment: environment)
            #expect(v2.status == 3, "\(v2.stderr)")
            #expect(!v2.output.contains(token) && !v2.output.contains(query), "a webhook token was shown: \(v2.output)")
            let events = receiver.requests.filter { $0.target.hasPrefix("/all/") }.compactMap { $0.json }
            #expect(events.compactMap { $0["event"] as? String } == ["started", "finished", "started", "rolled_back", "finished"])
            let rolledBack = try #require(events.first { $0["event"] as? String == "rolled_back" })
            #expect((rolledBack["hosts"] as? [String: Int])?["rolled_back"] == 2)
            let last = try #require(receiver.requests.last { $0.target == "/finished" }?.json)
            #expect(receiver.requests.filter { $0.target == "/finished" }.count == 2, "one finished notification per deploy")
            #expect(last["outcome"] as? String == "rolled_back")
            #expect((last["release"] as? String)?.hasPrefix("2.0.0-") == true)
            #expect((last["reason"] as? String)?.contains("health") == true)
            #expect((last["text"] as? String)?.contains("rolled back") == true)

            // A rollback run notifies too.
            let rollback = try await Shell.runDetached([RepositoryPaths.cutoverExecutable, "rollback", playbook] + common + ["--to", release],
                                                       environment: environment)
            #expect(rollback.status == 0, "\(rollback.stderr)")
            let after = receiver.requests.filter { $0.target == "/finished" }.compactMap { $0.json }
            #expect(after.last?["operation"] as? String == "rollback")
            #expect(after.last?["environment"] as? String == "staging")
        }
    }

    @Test func aMissingSecretSkipsTheWebhookWithAWarning() async throws {
        let warnings = WarningBox()
        let webhook = Webhook(url: "https://hooks.example.com/services/{{ secrets.NOT_SET_ANYWHERE }}", secretNames: ["NOT_SET_ANYWHERE"])
        let notifier = WebhookNotifier(webhooks: [webhook], app: "web", runner: [:], warn: warnings.add)
        #expect(notifier?.targets.isEmpty == true)
        #expect(warnings.all.contains { $0.contains("$NOT_SET_ANYWHERE is not set") })
        await notifier?.finish()
    }

    /// Token-like parts of a webhook URL are redacted; ordinary words in it are not, or they
    /// would be masked in every message of the run (`production` in `?env=production`).
    @Test func onlyTheTokenLikePartsOfAWebhookURLAreSecret() async throws {
        let token = "Zq8xW3vB7nM2kL5pR9tY4u"  // 22 characters, as a Slack path segment
        let webhook = Webhook(url: "https://hooks.example.com/services/\(token)?env=productionish&key=SHORTKEY")
        let notifier = WebhookNotifier(webhooks: [webhook], app: "web", runner: [:], warn: { _ in })
        #expect(notifier?.targets.count == 1)
        #expect(!SecretRedaction.redact("posted \(token)").contains(token))
        #expect(!SecretRedaction.redact("?env=productionish&key=SHORTKEY").contains("SHORTKEY"))
        #expect(SecretRedaction.redact("deploying to productionish from /srv/services") == "deploying to productionish from /srv/services")
        await notifier?.finish()
    }

    /// A webhook that never answers costs the run one timeout, not one per notification: after
    /// it gave no answer, the run's later notifications to it are skipped with a warning; the
    /// other webhooks get every one (hostile review: two 5 s waits held a deploy's exit).
    @Test func aSilentWebhookCostsOneTimeout() async throws {
        let silent = try HostileHTTPServer(address: "127.0.0.1", answer: .drip(interval: .seconds(1)))
        defer { silent.stop() }
        let receiver = try WebhookReceiver()
        defer { receiver.stop() }
        let warnings = WarningBox()
        let notifier = try #require(WebhookNotifier(webhooks: [
            Webhook(url: silent.url("/hook"), timeout: .seconds(1)), Webhook(url: receiver.url("/hook")),
        ], app: "web", runner: [:], warn: warnings.add))
        notifier.observe(.started(DeployStart(operation: .rollback, deployID: "r-1", app: "web")))
        notifier.observe(.paused(wave: 1, timeout: .seconds(60), onTimeout: .abort))
        notifier.observe(.finished(DeployReport(outcome: .promoted, deployID: "r-1", release: nil, reason: nil, hosts: [], duration: .seconds(1))))
        await notifier.finish()
        #expect(warnings.all.filter { $0.contains("notification was not delivered") }.count == 1, "\(warnings.all)")
        #expect(receiver.requests.compactMap { $0.json?["event"] as? String } == ["started", "paused", "finished"])
        #expect(warnings.all.filter { $0.contains("gave no answer earlier in this run") }.count == 2, "\(warnings.all)")
    }

    @Test func eventsBecomeNotificationsWithTheirFilterAndText() async throws {
        let receiver = try WebhookReceiver()
        defer { receiver.stop() }
        let warnings = WarningBox()
        let notifier = try #require(WebhookNotifier(webhooks: [
            Webhook(url: receiver.url("/verdicts"), events: [.verdict, .paused]),
        ], app: "web", runner: [:], warn: warnings.add))
        var plan = DeployPlan(app: "web", deployID: "d-1", release: "2.0.0-3fa2c09be1d4", artifactSHA256: String(repeating: "a", count: 64),
                              strategy: "canary", waves: [["h1"], ["h2", "h3"]], maxFailures: 0, rollbackPolicy: "standard")
        plan.environment = "staging"
        notifier.observe(.started(DeployStart(operation: .deploy, deployID: "d-1", app: "web")))
        notifier.observe(.planned(plan))
        notifier.observe(.analysis(CanaryVerdictReport(wave: 1, canary: ["h1"], baseline: ["h2"], verdict: .fail, score: 0,
                                                       reason: "error_rate 40 above max 5", kpis: [])))
        notifier.observe(.paused(wave: 1, timeout: .seconds(60), onTimeout: .abort))
        notifier.observe(.finished(DeployReport(outcome: .rolledBack, deployID: "d-1", release: "2.0.0-3fa2c09be1d4", reason: nil, hosts: [], duration: .seconds(3))))
        await notifier.finish()
        let bodies = receiver.requests.compactMap(\.json)
        #expect(bodies.compactMap { $0["event"] as? String } == ["verdict", "paused"])
        let verdict = try #require(bodies.first)
        #expect(verdict["environment"] as? String == "staging")
        #expect(verdict["outcome"] as? String == "fail")
        #expect(verdict["wave"] as? Int == 1)
        #expect((verdict["hosts"] as? [String: Int])?["total"] == 3)
        #expect(verdict["text"] as? String == "web (staging): deploy of 2.0.0-3fa2c09be1d4: wave 1 canary verdict FAIL: error_rate 40 above max 5 [d-1]")
        #expect(warnings.all.isEmpty)
    }
}

/// Warnings from any thread.
final class WarningBox: Sendable {
    private let lines = Mutex<[String]>([])
    var add: @Sendable (String) -> Void { { [self] line in lines.withLock { $0.append(line) } } }
    var all: [String] { lines.withLock { $0 } }
}
