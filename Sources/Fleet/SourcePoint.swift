import Diagnostics

/// Where something was written, kept so later checks (unknown jump host, cycles) can point at it.
struct SourcePoint: Sendable, Hashable {
    /// The location.
    var location: SourceLocation
    /// The quoted source line.
    var sourceLine: String?

    /// An error diagnostic at this point.
    func error(_ message: String) -> Diagnostic {
        Diagnostic(severity: .error, message: message, location: location, sourceLine: sourceLine)
    }

    /// A warning diagnostic at this point.
    func warning(_ message: String) -> Diagnostic {
        Diagnostic(severity: .warning, message: message, location: location, sourceLine: sourceLine)
    }
}

extension SourceText {
    /// A point in this file.
    func point(line: Int, column: Int) -> SourcePoint {
        SourcePoint(location: location(line: line, column: column), sourceLine: self.line(line))
    }
}
