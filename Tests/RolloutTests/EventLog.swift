import Rollout
import Synchronization
import Transport

/// Collects the events of a run, from whatever thread emits them.
final class EventLog: Sendable {
    private let events = Mutex([FleetEvent]())

    var sink: FleetEventSink {
        { [self] event in events.withLock { $0.append(event) } }
    }

    var outcomes: [HostOutcome] {
        events.withLock { list in
            list.compactMap { if case .hostFinished(let outcome) = $0 { return outcome } else { return nil } }
        }
    }

    var lines: [(host: String, line: String)] {
        events.withLock { list in
            list.compactMap { if case .output(let host, _, let line) = $0 { return (host, line.text) } else { return nil } }
        }
    }
}
