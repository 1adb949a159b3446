/// How a host's key is trusted when it is not pinned; `nil` on a host means the caller's default (strict).
public enum HostKeyPolicySetting: String, Sendable, Hashable, CaseIterable {
    /// The key must already be known (in `known_hosts` or pinned).
    case strict
    /// An unknown host's key is recorded on first contact; a changed key is still refused.
    case acceptNew = "accept-new"
}
