/// The error every loader throws: all diagnostics found, errors and warnings alike.
public struct DiagnosticError: Error, Sendable, CustomStringConvertible {
    /// Every diagnostic collected, in the order they were found.
    public var diagnostics: [Diagnostic]

    /// Creates an error from collected diagnostics.
    public init(diagnostics: [Diagnostic]) {
        self.diagnostics = diagnostics
    }

    /// Creates an error holding a single diagnostic.
    public init(_ diagnostic: Diagnostic) {
        self.diagnostics = [diagnostic]
    }

    /// The error diagnostics only.
    public var errors: [Diagnostic] { diagnostics.filter { $0.severity == .error } }

    /// All diagnostics rendered, one after another, then a count line such as `2 errors`.
    public var description: String {
        var parts = diagnostics.map(\.rendered)
        parts.append(Self.summary(of: diagnostics))
        return parts.joined(separator: "\n")
    }

    /// `1 error`, `2 errors`, `1 error, 1 warning`.
    static func summary(of diagnostics: [Diagnostic]) -> String {
        let errors = diagnostics.count { $0.severity == .error }
        let warnings = diagnostics.count { $0.severity == .warning }
        var parts = ["\(errors) error\(errors == 1 ? "" : "s")"]
        if warnings > 0 {
            parts.append("\(warnings) warning\(warnings == 1 ? "" : "s")")
        }
        return parts.joined(separator: ", ")
    }
}
