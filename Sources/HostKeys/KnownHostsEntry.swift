/// One parsed key line of an OpenSSH known_hosts file.
public struct KnownHostsEntry: Sendable, Hashable {
    /// The optional `@` marker at the start of a line.
    public enum Marker: String, Sendable, Hashable, CaseIterable {
        /// `@revoked`: the key must never be accepted.
        case revoked = "@revoked"
        /// `@cert-authority`: the key is a CA for host certificates (unsupported by Cutover).
        case certAuthority = "@cert-authority"
    }

    /// The line's marker, or nil for an ordinary host key line.
    public var marker: Marker?
    /// The raw comma-separated hosts field.
    public var hostsField: String
    /// The key stored on the line (algorithm is the key type field).
    public var key: HostKey
    /// The trailing comment, if any.
    public var comment: String?
    /// The 1-based line number in its file.
    public var line: Int

    /// The parsed elements of `hostsField`.
    let patterns: [HostPattern]

    /// Whether the line applies to `host` on `port`: some element matches and no negated element does.
    public func matches(host: String, port: Int) -> Bool {
        matches(HostAddress(host: host, port: port))
    }

    /// Whether the line applies to the address, following OpenSSH's pattern-list rules.
    func matches(_ address: HostAddress) -> Bool {
        matches(lookupName: address.lookupName)
    }

    /// Whether the line applies to the lookup name (`host` or `[host]:port`, lower-cased).
    func matches(lookupName name: String) -> Bool {
        var positive = false
        for pattern in patterns where pattern.matches(lookupName: name) {
            if pattern.negated { return false }
            positive = true
        }
        return positive
    }
}
