import Console
import Foundation
import Rollout
import Synchronization

/// The playbook's `notify:` webhooks for one run of deploy, resume or rollback. A webhook that
/// fails is warned about on stderr once the run has ended (the live view is gone by then) and
/// never changes the exit code.
final class NotifySession: Sendable {
    private let warnings = Mutex<[String]>([])
    private let notifier = Mutex<WebhookNotifier?>(nil)

    /// `environment`: the run's (the inventory's or `--environment`), named in every notification.
    init(playbook: String, environment: String?) {
        let made = WebhookNotifier.forPlaybook(playbook, snapshot: FleetOptions.playbookSnapshot, environment: environment,
                                               runner: ProcessInfo.processInfo.environment) { [weak self] warning in
            self?.warnings.withLock { $0.append(warning) }
        }
        notifier.withLock { $0 = made }
    }

    func observing(_ sink: @escaping DeployEventSink) -> DeployEventSink {
        notifier.withLock { $0 }?.observing(sink) ?? sink
    }

    /// Waits for the last notification (each is bounded by its webhook's timeout), then prints
    /// what could not be delivered.
    func finish() async {
        await notifier.withLock { $0 }?.finish()
        for warning in warnings.withLock({ $0 }) { TerminalOutput().err(warning) }
    }
}
