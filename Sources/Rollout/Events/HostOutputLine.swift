import Transport

/// Which of a remote command's streams output came from.
public enum CommandStream: String, Sendable, Hashable {
    case stdout, stderr

    init(_ stream: OutputStream) {
        switch stream {
        case .stdout: self = .stdout
        case .stderr: self = .stderr
        }
    }
}

/// One line of a host's streamed output (`exec`).
public struct HostOutputLine: Sendable, Hashable {
    /// The text without its newline; invalid UTF-8 becomes U+FFFD.
    public var text: String
    /// The line went on past ``lineLimit`` bytes without a newline: this is one piece of it,
    /// and the rest follows as the next line(s).
    public var isCut: Bool

    public init(_ text: String, isCut: Bool = false) {
        self.text = text
        self.isCut = isCut
    }

    init(_ line: OutputLine) {
        self.init(line.text, isCut: line.isCut)
    }

    /// The bytes a line may have before it is cut into pieces.
    public static let lineLimit = LineSplitter.defaultLineLimit
}
