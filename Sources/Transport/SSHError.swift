/// A transport failure: the host could not be reached, trusted, authenticated or talked to.
///
/// A remote command that exits non-zero is *not* an error: it is a ``CommandResult``.
/// Compare errors by ``code``, never by ``message``.
public struct SSHError: Error, CustomStringConvertible, Sendable {
    /// What kind of failure this is. New codes may be added.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case resolve, connect, handshake, algorithms, hostKey, authentication, channel, io, timeout
            case cancelled, closed, remote, integrity, localFile, stalled, refused
        }
        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// The host name could not be resolved.
        public static let resolve = Code(.resolve)
        /// TCP connect failed or timed out.
        public static let connect = Code(.connect)
        /// The host answered the TCP connect with a refusal (nothing listens on the port, or an
        /// sshd restarting): the ``SSHError/cause`` of a `connect` error, which is tried again.
        public static let refused = Code(.refused)
        /// SSH key exchange failed.
        public static let handshake = Code(.handshake)
        /// The server offers no key exchange, host key type, cipher or MAC Cutover accepts
        /// (modern ones only, unless the host allows legacy algorithms). A refusal, not an outage.
        public static let algorithms = Code(.algorithms)
        /// The host key was unknown, changed, revoked or did not match the pin.
        public static let hostKey = Code(.hostKey)
        /// Every authentication method was refused.
        public static let authentication = Code(.authentication)
        /// A channel could not be opened or a request on it failed.
        public static let channel = Code(.channel)
        /// The connection broke while reading or writing.
        public static let io = Code(.io)
        /// The operation's deadline passed.
        public static let timeout = Code(.timeout)
        /// Nothing moved for the operation's no-progress limit: a command printed nothing, or
        /// the host accepted no byte of an upload. The host is connected but silent; not an outage.
        public static let stalled = Code(.stalled)
        /// The caller cancelled the operation.
        public static let cancelled = Code(.cancelled)
        /// The connection was already closed.
        public static let closed = Code(.closed)
        /// A remote helper command (mkdir, mv, sha256sum) failed.
        public static let remote = Code(.remote)
        /// Data arrived altered (checksum mismatch).
        public static let integrity = Code(.integrity)
        /// A local file could not be read.
        public static let localFile = Code(.localFile)

        public var description: String { base.rawValue }
    }

    public var code: Code
    /// The host (or jump host) the error is about, when it names one: the message starts with it.
    public var subject: String?
    /// What went wrong, in words, without the subject.
    public var reason: String
    /// `subject: reason`, or the reason alone.
    public var message: String {
        get { subject.map { "\($0): \(reason)" } ?? reason }
        set { subject = nil; reason = newValue }
    }
    /// The underlying error, e.g. a host-key verdict.
    public var cause: (any Error & Sendable)?
    /// Where in Cutover the error was thrown.
    public var location: String

    public init(
        _ code: Code, _ message: String, cause: (any Error & Sendable)? = nil,
        file: String = #fileID, line: Int = #line
    ) {
        self.code = code
        self.reason = message
        self.cause = cause
        self.location = "\(file):\(line)"
    }

    /// An error about `subject` (a host's or a jump host's name): its message is `subject: reason`,
    /// and a renderer that names the host already shows ``reason(about:)``.
    public init(
        _ code: Code, about subject: String, _ reason: String, cause: (any Error & Sendable)? = nil,
        file: String = #fileID, line: Int = #line
    ) {
        self.init(code, reason, cause: cause, file: file, line: line)
        self.subject = subject
    }

    /// The words for a line that names `host` already: the reason when the error is about that
    /// host, else the whole message.
    public func reason(about host: String) -> String {
        subject == host ? reason : message
    }

    public var description: String { message }

    /// Whether this error, or one it wraps (its ``cause``, and that one's), has `code`: a
    /// `connect` error that `timeout` or `refused` caused, however many hops wrapped it.
    public func involves(_ code: Code) -> Bool {
        var error: SSHError? = self
        while let current = error {
            if current.code == code { return true }
            error = current.cause as? SSHError
        }
        return false
    }

    /// True for failures that mean "the host could not be reached" rather than "it refused us".
    public var isUnreachable: Bool {
        code == .resolve || code == .connect || code == .refused || code == .handshake || code == .io
    }
}
