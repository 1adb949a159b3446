import Release
import Synchronization

/// Per-host results collected from parallel work.
final class TriggerLog: Sendable {
    private let triggers = Mutex([String: RollbackTrigger]())
    private let texts = Mutex([String: String]())
    private let gates = Mutex([String: String]())

    func record(_ host: String, _ trigger: RollbackTrigger) { triggers.withLock { $0[host] = trigger } }

    /// A failure and which gate of its kind caught it (the KPIs that failed, say).
    func record(_ host: String, _ trigger: RollbackTrigger, gate: String) {
        record(host, trigger)
        gates.withLock { $0[host] = gate }
    }

    /// `h1 failed kpi (error_rate)`, for each failed host in name order.
    var failures: String {
        let gates = gates.withLock { $0 }
        return all.sorted { $0.key < $1.key }.map { host, trigger in
            "\(host) failed \(trigger.rawValue)" + (gates[host].map { " (\($0))" } ?? "")
        }.joined(separator: ", ")
    }
    func note(_ host: String, _ text: String) { texts.withLock { $0[host] = text } }

    var all: [String: RollbackTrigger] { triggers.withLock { $0 } }
    var notes: [String: String] { texts.withLock { $0 } }
}
