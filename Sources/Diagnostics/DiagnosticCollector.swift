/// Accumulates diagnostics so a loader can report every mistake before failing.
///
/// - Important: A reference type so nested readers can share one collector; confine it to one task.
public final class DiagnosticCollector {
    /// Everything reported so far, in order.
    public private(set) var diagnostics: [Diagnostic] = []

    /// Creates an empty collector.
    public init() {}

    /// Whether any error (not warning or note) was reported.
    public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }

    /// The warnings and notes reported so far.
    public var warnings: [Diagnostic] { diagnostics.filter { $0.severity != .error } }

    /// Records a diagnostic.
    public func report(_ diagnostic: Diagnostic) {
        diagnostics.append(diagnostic)
    }

    /// Records several diagnostics.
    public func report(contentsOf more: [Diagnostic]) {
        diagnostics.append(contentsOf: more)
    }

    /// Throws all diagnostics if any of them is an error; warnings alone are not an error.
    public func check() throws(DiagnosticError) {
        if hasErrors {
            throw DiagnosticError(diagnostics: diagnostics)
        }
    }
}
