/// A position in a configuration file, 1-based like compilers print it.
public struct SourceLocation: Sendable, Hashable, CustomStringConvertible {
    /// The file path as the user wrote it (or as the loader received it).
    public var file: String
    /// Line number, starting at 1.
    public var line: Int
    /// Column number in Unicode scalars, starting at 1.
    public var column: Int

    /// Creates a location; line and column are 1-based.
    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    /// `file:line:column`, the prefix of a rendered diagnostic.
    public var description: String { "\(file):\(line):\(column)" }
}
