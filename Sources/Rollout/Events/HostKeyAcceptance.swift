import HostKeys

/// Why a host key was accepted (`cutover check`).
public enum HostKeyAcceptance: Sendable, Hashable {
    /// The key matches an existing known_hosts entry at `file`, 1-based `line`.
    case known(file: String, line: Int)
    /// The key matches the pinned fingerprint.
    case pinned
    /// The host was unknown and the key was appended to `file` (accept-new policy).
    case addedNew(file: String)

    init(_ trust: HostKeyTrust) {
        switch trust {
        case .known(let file, let line): self = .known(file: file, line: line)
        case .pinned: self = .pinned
        case .addedNew(let file): self = .addedNew(file: file)
        }
    }
}
