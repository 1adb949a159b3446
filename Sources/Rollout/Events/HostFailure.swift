/// Why a host's part of an `exec`, `check` or `upload` run failed besides a non-zero exit:
/// it could not be reached, trusted, authenticated or talked to. Renderers compare by
/// ``code``, never by ``message``.
public struct HostFailure: Sendable, Hashable, CustomStringConvertible {
    /// What kind of failure. The raw values are a public schema (the exec JSON's `error_code`):
    /// they never change; new codes may be added.
    public enum Code: String, Sendable, Hashable, CaseIterable {
        /// The host name could not be resolved.
        case resolve
        /// TCP connect failed or timed out.
        case connect
        /// SSH key exchange failed.
        case handshake
        /// The server offers no algorithm Cutover accepts: a refusal, not an outage.
        case algorithms
        /// The host key was unknown, changed, revoked or did not match the pin.
        case hostKey
        /// Every authentication method was refused.
        case authentication
        /// A channel could not be opened or a request on it failed.
        case channel
        /// The connection broke while reading or writing.
        case io
        /// The operation's deadline passed.
        case timeout
        /// Nothing moved for the operation's no-progress limit: connected but silent.
        case stalled
        /// The run was cancelled.
        case cancelled
        /// The connection was already closed.
        case closed
        /// A remote helper command (mkdir, mv, sha256sum, chmod) failed.
        case remote
        /// Data arrived altered (checksum mismatch).
        case integrity
        /// A local file could not be read.
        case localFile
    }

    public var code: Code
    /// The host (or jump host) the failure is about, when its words name one.
    public var subject: String?
    /// What went wrong, in words, without the subject.
    public var reason: String
    /// `subject: reason`, or the reason alone.
    public var message: String { subject.map { "\($0): \(reason)" } ?? reason }

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.reason = message
    }

    public init(_ code: Code, about subject: String?, _ reason: String) {
        self.code = code
        self.subject = subject
        self.reason = reason
    }

    /// The words for a line that names `host` already: the reason when the failure is about
    /// that host, else the whole message.
    public func reason(about host: String) -> String {
        subject == host ? reason : message
    }

    public var description: String { message }

    /// True for failures that mean "the host could not be reached" rather than "it refused us".
    public var isUnreachable: Bool {
        code == .resolve || code == .connect || code == .handshake || code == .io
    }
}
