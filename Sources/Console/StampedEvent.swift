public import Foundation
public import Rollout
import Synchronization

/// A deploy event as consumers record it: when it happened and which deploy it belongs to.
public struct StampedEvent: Sendable {
    public var time: Date
    /// The id from the operation's `started` event (or its plan or summary); nil before any.
    public var deployID: String?
    public var event: DeployEvent

    public init(time: Date, deployID: String?, event: DeployEvent) {
        self.time = time
        self.deployID = deployID
        self.event = event
    }
}

/// Stamps events as they arrive: the time now, and the deploy id the operation announced.
/// Events are delivered as they happen, so the arrival time is the event's time.
public final class EventStamper: Sendable {
    private let deployID = Mutex<String?>(nil)

    public init() {}

    public func stamp(_ event: DeployEvent, at time: Date = Date()) -> StampedEvent {
        let id = deployID.withLock { current -> String? in
            switch event {
            case .started(let start): current = start.deployID
            case .planned(let plan): current = plan.deployID
            case .finished(let report) where current == nil: current = report.deployID
            default: break
            }
            return current
        }
        return StampedEvent(time: time, deployID: id, event: event)
    }
}
