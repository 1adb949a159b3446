import Synchronization

/// A graceful stop asked for from outside a deploy (the first Ctrl-C): no new phase or wave
/// starts, the running wave finishes (and rolls back if it fails), leases are released.
public final class StopRequest: Sendable {
    private let flag = Atomic<Bool>(false)

    public init() {}

    public func request() { flag.store(true, ordering: .releasing) }
    public var isRequested: Bool { flag.load(ordering: .acquiring) }
}
