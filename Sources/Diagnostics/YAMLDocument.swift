public import Yams

/// A parsed YAML file: the composed node tree (with line/column marks) plus its source text.
///
/// Syntax errors and duplicate mapping keys become diagnostics pointing into the file.
public struct YAMLDocument {
    /// The file text, for quoting lines in diagnostics.
    public var source: SourceText
    /// The first document's root node; `nil` for an empty file.
    public var root: Node?

    /// Reads and composes a file. A missing file throws; a syntax error is reported and gives `nil`.
    public static func load(path: String, reportingTo collector: DiagnosticCollector) throws(DiagnosticError) -> YAMLDocument? {
        let source = try SourceText.read(path: path)
        return parse(source, reportingTo: collector)
    }

    /// Composes text already read; a syntax error is reported and gives `nil`.
    public static func parse(_ source: SourceText, reportingTo collector: DiagnosticCollector) -> YAMLDocument? {
        do {
            let root = try Yams.compose(yaml: source.text)
            return YAMLDocument(source: source, root: root)
        } catch let error as YamlError {
            collector.report(diagnostic(for: error, in: source))
            return nil
        } catch {
            collector.report(.error("\(error)", at: source.location(line: 1, column: 1)))
            return nil
        }
    }

    /// Maps a Yams error to a located diagnostic.
    static func diagnostic(for error: YamlError, in source: SourceText) -> Diagnostic {
        switch error {
        case let .scanner(context, problem, mark, _),
             let .parser(context, problem, mark, _),
             let .composer(context, problem, mark, _):
            var message = "invalid YAML: \(problem)"
            if let context {
                message += " (\(context.text) at line \(context.mark.line))"
            }
            return source.diagnostic(.error, message, line: max(1, mark.line), column: max(1, mark.column))
        case let .duplicatedKeysInMapping(duplicates, context):
            let key = duplicates.first ?? "?"
            let (line, column) = secondOccurrence(of: key, after: context.mark, in: source)
            return source.diagnostic(.error, "duplicate key '\(key)'", line: line, column: column)
        case let .reader(problem, _, _, _):
            return .error("invalid YAML: \(problem)", at: source.location(line: 1, column: 1))
        default:
            return .error("invalid YAML: \(error)", at: source.location(line: 1, column: 1))
        }
    }

    /// Yams reports a duplicate key at its first occurrence; point at the repeated one when it can be found.
    ///
    /// Looks for the key text at the same column on a later line (block mappings), then later on the same
    /// line (flow mappings). Falls back to the first occurrence.
    private static func secondOccurrence(of key: String, after mark: Mark, in source: SourceText) -> (Int, Int) {
        let line = max(1, mark.line), column = max(1, mark.column)
        let spellings = [key, "\"\(key)\"", "'\(key)'"]
        func startsKey(_ text: Substring) -> Bool {
            spellings.contains { spelling in
                guard text.hasPrefix(spelling) else { return false }
                let rest = text.dropFirst(spelling.count).drop { $0 == " " }
                return rest.hasPrefix(":")
            }
        }
        if let first = source.line(line) {
            let scalars = Array(first.unicodeScalars)
            var index = column
            while index < scalars.count {
                let rest = Substring(String(String.UnicodeScalarView(scalars[index...])))
                let previous = scalars[index - 1]
                if (previous == " " || previous == "{" || previous == ",") && startsKey(rest) {
                    return (line, index + 1)
                }
                index += 1
            }
        }
        var number = line + 1
        while let text = source.line(number) {
            let scalars = Array(text.unicodeScalars)
            if scalars.count >= column {
                let indent = scalars.prefix(column - 1).allSatisfy { $0 == " " || $0 == "-" }
                let rest = Substring(String(String.UnicodeScalarView(scalars[(column - 1)...])))
                if indent && startsKey(rest) {
                    return (number, column)
                }
            }
            number += 1
        }
        return (line, column)
    }
}
