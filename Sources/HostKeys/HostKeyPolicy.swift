/// What to do when a host has no known_hosts entry and no pinned fingerprint.
public enum HostKeyPolicy: String, Sendable, Hashable, CaseIterable {
    /// Refuse unknown hosts (the default).
    case strict
    /// Trust on first use: append the key to the first known_hosts file; a changed key is still refused.
    case acceptNew = "accept-new"
}
