public import Diagnostics
import Synchronization

/// Who hears the warnings loading the configuration gave (an ssh_config keyword Cutover does
/// not honour, a `Match` block): each distinct warning once per observer, however many times
/// a run loads the inventory. Compared by identity.
public final class WarningObserver: Sendable, Hashable {
    private let report: @Sendable (Diagnostic) -> Void
    private let heard = Mutex(Set<Diagnostic>())

    /// `report` is called once per distinct warning, from whichever task loaded the inventory.
    public init(_ report: @escaping @Sendable (Diagnostic) -> Void) {
        self.report = report
    }

    /// Hands on the warnings not heard before.
    func hear(_ warnings: [Diagnostic]) {
        let fresh = heard.withLock { heard in warnings.filter { heard.insert($0).inserted } }
        for warning in fresh { report(warning) }
    }

    public static func == (lhs: WarningObserver, rhs: WarningObserver) -> Bool { lhs === rhs }
    public func hash(into hasher: inout Hasher) { hasher.combine(ObjectIdentifier(self)) }
}
