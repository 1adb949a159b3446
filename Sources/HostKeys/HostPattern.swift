import Crypto
import Foundation

/// One element of a known_hosts hosts field: a wildcard pattern or a hashed name, possibly negated.
struct HostPattern: Sendable, Hashable {
    /// How the element identifies hosts.
    enum Kind: Sendable, Hashable {
        /// A lower-cased name or `[name]:port`, with `*` and `?` wildcards.
        case wildcard(String)
        /// `|1|salt|hmac`: HMAC-SHA1 keyed with `salt` over the lookup name.
        case hashed(salt: [UInt8], hmac: [UInt8])
    }

    /// The matching rule.
    var kind: Kind
    /// True for `!pattern`: a match excludes the host from the whole line.
    var negated: Bool

    /// Parses one comma-separated element; nil if it is empty or a malformed hash.
    init?(_ text: Substring) {
        var body = text
        negated = body.hasPrefix("!")
        if negated { body = body.dropFirst() }
        guard !body.isEmpty else { return nil }
        if body.hasPrefix("|") {
            guard let kind = Self.parseHashed(body) else { return nil }
            self.kind = kind
        } else {
            kind = .wildcard(Self.normalised(body.lowercased()))
        }
    }

    /// Whether this element (ignoring negation) matches the lookup name (`host` or `[host]:port`).
    func matches(lookupName: String) -> Bool {
        switch kind {
        case .wildcard(let pattern):
            return WildcardMatcher.matches(Array(lookupName.utf8), pattern: Array(pattern.utf8))
        case .hashed(let salt, let hmac):
            let code = HMAC<Insecure.SHA1>.authenticationCode(
                for: Array(lookupName.utf8), using: SymmetricKey(data: salt))
            return Array(code) == hmac
        }
    }

    /// The one name this element matches, when it is a plain name or `[name]:port` with no `*` or `?`.
    var literalName: String? {
        guard case .wildcard(let pattern) = kind,
              !pattern.utf8.contains(where: { $0 == UInt8(ascii: "*") || $0 == UInt8(ascii: "?") })
        else { return nil }
        return pattern
    }

    /// Parses `|1|base64salt|base64hmac`.
    private static func parseHashed(_ body: Substring) -> Kind? {
        let parts = body.split(separator: "|", omittingEmptySubsequences: false)
        guard parts.count == 4, parts[0].isEmpty, parts[1] == "1",
              let salt = Data(base64Encoded: String(parts[2])), !salt.isEmpty,
              let hmac = Data(base64Encoded: String(parts[3])), hmac.count == Insecure.SHA1.byteCount
        else { return nil }
        return .hashed(salt: Array(salt), hmac: Array(hmac))
    }

    /// Rewrites `[name]:22` to `name`, the form OpenSSH looks up for the default port.
    private static func normalised(_ pattern: String) -> String {
        guard pattern.hasPrefix("["), pattern.hasSuffix("]:22") else { return pattern }
        return String(pattern.dropFirst().dropLast(4))
    }
}
