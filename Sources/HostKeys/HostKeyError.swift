/// A refused or failed host key verification, with a human-readable explanation.
///
/// Errors compare equal when their codes are equal; the message is for people.
public struct HostKeyError: Error, Sendable, CustomStringConvertible, Equatable {
    /// A stable identifier for the kind of failure; new codes may be added.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Value: String {
            case unknownHost, changed, revoked, pinMismatch, unsupported, io, malformed
        }

        private let value: Value

        private init(_ value: Value) { self.value = value }

        /// The host has no known_hosts entry and the policy is strict.
        public static let unknownHost = Code(.unknownHost)
        /// The host has known_hosts entries, none with the offered key.
        public static let changed = Code(.changed)
        /// The offered key is listed in a `@revoked` line.
        public static let revoked = Code(.revoked)
        /// The offered key does not match the pinned fingerprint.
        public static let pinMismatch = Code(.pinMismatch)
        /// The host is covered only by a feature Cutover does not support (e.g. `@cert-authority`).
        public static let unsupported = Code(.unsupported)
        /// Reading or writing a known_hosts file failed.
        public static let io = Code(.io)
        /// An input (host name, pin) cannot be used.
        public static let malformed = Code(.malformed)

        /// The code's name, e.g. `changed`.
        public var description: String { value.rawValue }
    }

    /// What kind of failure this is.
    public var code: Code
    /// The human-readable message.
    public var description: String

    /// Creates an error with a code and message.
    public init(code: Code, description: String) {
        self.code = code
        self.description = description
    }

    /// Errors are equal when their codes are equal.
    public static func == (lhs: HostKeyError, rhs: HostKeyError) -> Bool {
        lhs.code == rhs.code
    }
}
