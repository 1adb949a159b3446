/// One mistake (or remark) found while loading configuration, with where it was found.
public struct Diagnostic: Sendable, Hashable, CustomStringConvertible {
    /// How serious a diagnostic is; only `.error` makes loading fail.
    public enum Severity: String, Sendable, Hashable {
        case error
        case warning
        case note
    }

    /// How serious this diagnostic is.
    public var severity: Severity
    /// The human message, without location or severity prefix.
    public var message: String
    /// Where the mistake is; `nil` for mistakes that belong to no file (a `--limit` expression).
    public var location: SourceLocation?
    /// The full text of the line `location` points into, shown under the message with a caret.
    public var sourceLine: String?

    /// Creates a diagnostic.
    public init(severity: Severity, message: String, location: SourceLocation? = nil, sourceLine: String? = nil) {
        self.severity = severity
        self.message = message
        self.location = location
        self.sourceLine = sourceLine
    }

    /// Creates an error diagnostic.
    public static func error(_ message: String, at location: SourceLocation? = nil, sourceLine: String? = nil) -> Diagnostic {
        Diagnostic(severity: .error, message: message, location: location, sourceLine: sourceLine)
    }

    /// Creates a warning diagnostic.
    public static func warning(_ message: String, at location: SourceLocation? = nil, sourceLine: String? = nil) -> Diagnostic {
        Diagnostic(severity: .warning, message: message, location: location, sourceLine: sourceLine)
    }

    /// Compiler-style text: `file:line:col: severity: message`, the source line, and a caret under the column.
    ///
    /// Without a location the prefix is `cutover:`; without a source line only the first line is printed.
    public var rendered: String {
        guard let location else {
            return "cutover: \(severity.rawValue): \(message)"
        }
        var text = "\(location): \(severity.rawValue): \(message)"
        if let sourceLine {
            text += "\n" + sourceLine + "\n" + Self.caretLine(under: location.column, in: sourceLine)
        }
        return text
    }

    /// Same as `rendered`.
    public var description: String { rendered }

    /// Spaces up to the column (tabs kept as tabs so the caret lines up), then `^`.
    private static func caretLine(under column: Int, in sourceLine: String) -> String {
        var padding = ""
        for scalar in sourceLine.unicodeScalars.prefix(max(0, column - 1)) {
            padding.append(scalar == "\t" ? "\t" : " ")
        }
        let missing = max(0, column - 1) - padding.unicodeScalars.count
        padding += String(repeating: " ", count: missing)
        return padding + "^"
    }
}
