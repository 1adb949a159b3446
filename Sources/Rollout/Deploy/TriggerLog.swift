import Release
import Synchronization

/// Per-host results collected from parallel work.
final class TriggerLog: Sendable {
    private let triggers = Mutex([String: RollbackTrigger]())
    private let texts = Mutex([String: String]())

    func record(_ host: String, _ trigger: RollbackTrigger) { triggers.withLock { $0[host] = trigger } }
    func note(_ host: String, _ text: String) { texts.withLock { $0[host] = text } }

    var all: [String: RollbackTrigger] { triggers.withLock { $0 } }
    var notes: [String: String] { texts.withLock { $0 } }
}
