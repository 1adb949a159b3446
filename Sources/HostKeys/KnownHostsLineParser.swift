import Foundation

/// Parses a single known_hosts line: `[@marker] hosts keytype base64 [comment]`.
enum KnownHostsLineParser {
    /// The outcome of parsing one line.
    enum Result {
        /// A blank or comment line.
        case blank
        /// A usable key line.
        case entry(KnownHostsEntry)
        /// A malformed line, with the reason it was ignored.
        case skipped(String)
    }

    /// Parses `text`, which is line number `line` (1-based) of its file.
    static func parse(_ text: Substring, line: Int) -> Result {
        var rest = text.drop(while: isBlank)
        if rest.last == "\r" { rest = rest.dropLast() }
        guard let first = rest.first, first != "#" else { return .blank }

        var marker: KnownHostsEntry.Marker?
        if first == "@" {
            let token = nextField(&rest)
            guard let parsed = KnownHostsEntry.Marker(rawValue: String(token)) else {
                return .skipped("unknown marker \(token)")
            }
            marker = parsed
        }
        let hostsField = nextField(&rest)
        let keyType = nextField(&rest)
        let encodedKey = nextField(&rest)
        guard !hostsField.isEmpty, !keyType.isEmpty, !encodedKey.isEmpty else {
            return .skipped("expected hosts, key type and base64 key")
        }
        guard let blob = Data(base64Encoded: String(encodedKey)), !blob.isEmpty else {
            return .skipped("key is not valid base64 (old SSH1 format or corrupt line)")
        }
        // OpenSSH's sshkey_read refuses a line whose key type is not the type inside the key
        // (an ssh-rsa blob written as ssh-ed25519, say): the line is ignored, never matched.
        if let embedded = SSHKeyBlob.embeddedType(of: Array(blob)), !Self.sameKeyType(String(keyType), embedded) {
            return .skipped("key type \(keyType) disagrees with the key's own type \(embedded)")
        }
        var patterns: [HostPattern] = []
        for element in hostsField.split(separator: ",", omittingEmptySubsequences: false) {
            if let pattern = HostPattern(element) {
                patterns.append(pattern)
            } else if marker != .revoked {
                // A revocation applies to the key whatever the hosts field says, so it is never dropped.
                return .skipped("invalid host pattern \"\(element)\"")
            }
        }
        let comment = rest.trimmingCharacters(in: .whitespaces)
        return .entry(KnownHostsEntry(
            marker: marker,
            hostsField: String(hostsField),
            key: HostKey(algorithm: String(keyType), blob: Array(blob)),
            comment: comment.isEmpty ? nil : comment,
            line: line,
            patterns: patterns))
    }

    /// Whether a line's key type names the key in the blob (`rsa-sha2-256`/`-512` name an RSA key).
    private static func sameKeyType(_ written: String, _ embedded: String) -> Bool {
        if written == embedded { return true }
        return embedded == "ssh-rsa" && (written == "rsa-sha2-256" || written == "rsa-sha2-512")
    }

    /// Removes and returns the next whitespace-delimited field, skipping blanks after it.
    private static func nextField(_ rest: inout Substring) -> Substring {
        let field = rest.prefix(while: { !isBlank($0) })
        rest = rest.dropFirst(field.count).drop(while: isBlank)
        return field
    }

    /// Spaces and tabs separate known_hosts fields.
    private static func isBlank(_ character: Character) -> Bool {
        character == " " || character == "\t"
    }
}
