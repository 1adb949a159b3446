import Diagnostics
import Foundation

/// The property every loader must keep: a value, or at least one error diagnostic that says something.
enum Expectation {
    /// Traps (a libFuzzer finding) unless the outcome is a value or explained errors.
    static func valueOrDiagnostic(loaded: Bool, _ diagnostics: [Diagnostic], input: String) {
        for diagnostic in diagnostics {
            check(!diagnostic.message.isEmpty, "a diagnostic without a message", input)
            if let location = diagnostic.location {
                check(location.line >= 1 && location.column >= 1, "a diagnostic at line \(location.line) column \(location.column)", input)
            }
        }
        if !loaded {
            check(diagnostics.contains { $0.severity == .error }, "rejected without an error diagnostic", input)
        }
    }

    /// Traps with a message naming the broken property.
    static func check(_ condition: Bool, _ what: @autoclosure () -> String, _ input: String) {
        guard !condition else { return }
        FileHandle.standardError.write(Data("cutover-fuzz: \(what()) for input:\n\(input)\n".utf8))
        fatalError(what())
    }
}
