/// Why a host key was accepted.
public enum HostKeyTrust: Sendable, Hashable {
    /// The key matches an existing known_hosts entry at `file`, 1-based `line`.
    case known(file: String, line: Int)
    /// The key matches the pinned fingerprint.
    case pinned
    /// The host was unknown and the key was appended to `file` (accept-new policy).
    case addedNew(file: String)
}
