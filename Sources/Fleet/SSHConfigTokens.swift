import Foundation
import Crypto

/// OpenSSH's `%` tokens and `${VAR}` references in ssh_config values.
///
/// Which tokens a keyword knows is OpenSSH's choice (ssh_config(5), TOKENS): `HostName` knows `%h`;
/// `IdentityFile` and `UserKnownHostsFile` know `%C %d %h %i %k %L %l %n %p %r %u` and environment
/// variables; `ProxyCommand` knows `%h %n %p %r` and is expanded when connecting (by Transport).
/// `%%` is a literal `%` everywhere. An unknown token is an error, as in ssh.
struct SSHConfigTokens {
    var values: [Character: String]

    /// A token or `${VAR}` that cannot be expanded.
    struct Unknown: Error {
        var message: String
    }

    /// `text` with `%x` replaced; an unknown token or a trailing lone `%` throws.
    func expand(_ text: String) throws(Unknown) -> String {
        try substitute(text, strict: true)
    }

    /// `text` with known tokens replaced and unknown ones kept as written.
    func expandLeniently(_ text: String) -> String {
        (try? substitute(text, strict: false)) ?? text
    }

    /// One pass over `text`: `%%` is `%`, a known `%x` its value; what is unknown (or a lone
    /// trailing `%`) throws when `strict`, else stays as written.
    private func substitute(_ text: String, strict: Bool) throws(Unknown) -> String {
        var result = ""
        var iterator = text.makeIterator()
        while let character = iterator.next() {
            guard character == "%" else {
                result.append(character)
                continue
            }
            guard let token = iterator.next() else {
                if strict { throw Unknown(message: "'%' at the end of '\(text)'") }
                result.append("%")
                break
            }
            if token == "%" {
                result.append("%")
            } else if let value = values[token] {
                result += value
            } else if strict {
                throw Unknown(message: "unknown token '%\(token)' in '\(text)'")
            } else {
                result += "%\(token)"
            }
        }
        return result
    }

    /// A token's value for a command `/bin/sh` runs (`Match exec`): as is when a shell reads every
    /// character literally (every address and user an inventory may give, ``ConnectionValue``), so
    /// the command is the one ssh would run; otherwise single-quoted, so a value that slipped past
    /// those checks (`$(…)`, `;`, a space) stays one word and never runs.
    static func shellWord(_ value: String) -> String {
        let literal = !value.isEmpty && value.unicodeScalars.allSatisfy { scalar in
            scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || "._-:%@+=,/".unicodeScalars.contains(scalar))
        }
        return literal ? value : "'" + value.replacing("'", with: "'\\''") + "'"
    }

    /// `${NAME}` replaced from `environment`; an unset variable throws, as in ssh.
    static func expandEnvironment(_ text: String, environment: [String: String]) throws(Unknown) -> String {
        guard text.contains("${") else { return text }
        var result = ""
        var rest = Substring(text)
        while let start = rest.range(of: "${") {
            result += rest[..<start.lowerBound]
            guard let end = rest[start.upperBound...].firstIndex(of: "}") else {
                throw Unknown(message: "unterminated '${' in '\(text)'")
            }
            let name = String(rest[start.upperBound..<end])
            guard let value = environment[name] else {
                throw Unknown(message: "environment variable '\(name)' in '\(text)' is not set")
            }
            result += value
            rest = rest[rest.index(after: end)...]
        }
        return result + rest
    }

    /// `~` or `~/…` at the start replaced by `home`.
    static func expandTilde(_ text: String, home: String) -> String {
        if text == "~" { return home }
        if text.hasPrefix("~/") { return home + text.dropFirst() }
        return text
    }

    /// `%C`: the SHA-1 of local host name, host, port and remote user, in hex (OpenSSH 9.2).
    static func connectionHash(local: String, host: String, port: Int, user: String) -> String {
        let digest = Insecure.SHA1.hash(data: Array((local + host + String(port) + user).utf8))
        return digest.map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }
}
