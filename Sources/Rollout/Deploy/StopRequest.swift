import Synchronization

/// A stop asked for from outside a deploy. Two kinds:
/// - a graceful stop (the first Ctrl-C): no new phase or wave starts, the running wave finishes
///   (and rolls back if it fails), leases are released;
/// - an abort (`cutover abort` from any terminal, SIGTERM from a CI runner): the deploy stops at
///   its next step boundary, bake tick or pause tick and rolls back what it switched, as its
///   rollback policy says.
public final class StopRequest: Sendable {
    private let flag = Atomic<Bool>(false)
    private let aborter = Mutex<String?>(nil)

    public init() {}

    public func request() { flag.store(true, ordering: .releasing) }
    public var isRequested: Bool { flag.load(ordering: .acquiring) }

    /// Asks for an abort; `by` says who (`root@ci`, `SIGTERM`). The first one asking is kept.
    public func abort(by: String) {
        aborter.withLock { if $0 == nil { $0 = by } }
        request()
    }

    /// Who asked for an abort, nil when none was asked for.
    public var abortedBy: String? { aborter.withLock { $0 } }
    public var isAborted: Bool { abortedBy != nil }
}
