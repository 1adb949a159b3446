/// One line of a command's output, as ``LineSplitter`` emits it.
public struct OutputLine: Sendable, Hashable {
    /// The text without its newline; invalid UTF-8 becomes U+FFFD.
    public var text: String
    /// The line went on past ``LineSplitter/lineLimit`` bytes without a newline: this is one
    /// piece of it, and the rest follows as the next line(s).
    public var isCut: Bool

    public init(_ text: String, isCut: Bool = false) {
        self.text = text
        self.isCut = isCut
    }
}
