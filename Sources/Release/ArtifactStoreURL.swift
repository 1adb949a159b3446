import Foundation

/// `artifact_store.url`: where the hosts download the store's artifacts over HTTP(S)
/// (`distribution: pull`). `<url>/<stored name>` is one artifact; a query string (a CDN or
/// presigned token) stays at the end: `https://cdn/releases/?token=…` gives
/// `https://cdn/releases/2.0.0-<sha256>.tar.gz?token=…`.
///
/// The whole text may carry a secret (a token in the query, a password in the userinfo): it is
/// only ever given to a host's downloader on stdin. Messages use ``redacted``, which keeps the
/// scheme, host and path; ``description`` is the redacted form too, so interpolating the value
/// by mistake prints no secret.
public struct ArtifactStoreURL: Sendable, Hashable, CustomStringConvertible {
    /// The whole URL, secret parts included: for the downloader's stdin, nothing else.
    public let secretText: String

    /// Validates `text`: `http://` or `https://`, a host, and only characters a URL may hold
    /// unescaped (RFC 3986 unreserved, reserved and `%`), so no quote, backslash, space or
    /// control character reaches a downloader's configuration. Returns why not, or the URL.
    public static func parse(_ text: String) -> Result<ArtifactStoreURL, ArtifactStoreURLError> {
        let lower = text.lowercased()
        guard lower.hasPrefix("http://") || lower.hasPrefix("https://") else {
            return .failure(ArtifactStoreURLError("must start with http:// or https://"))
        }
        guard text.utf8.count <= 4096 else { return .failure(ArtifactStoreURLError("is longer than 4096 bytes")) }
        if let bad = text.unicodeScalars.first(where: { !Self.allowed($0) }) {
            let shown = bad.value < 0x21 || bad.value > 0x7E ? String(format: "U+%04X", bad.value) : "'\(bad)'"
            return .failure(ArtifactStoreURLError("holds \(shown), which a URL must percent-encode"))
        }
        let url = ArtifactStoreURL(secretText: text)
        guard !url.authority.isEmpty, !url.hostPart.isEmpty else { return .failure(ArtifactStoreURLError("names no host")) }
        if text.contains("#") { return .failure(ArtifactStoreURLError("must not hold a fragment ('#')")) }
        return .success(url)
    }

    /// Values filled in from the runner's environment (`{{ secrets.NAME }}`): redacted wherever they are.
    private var filledSecrets: [String] = []

    private init(secretText: String, filledSecrets: [String] = []) {
        self.secretText = secretText
        self.filledSecrets = filledSecrets
    }

    /// The URL of one stored artifact: `name` appended to the path (after a `/`), the query kept.
    public func appending(_ name: String) -> ArtifactStoreURL {
        let (path, query) = split
        let joined = (path.hasSuffix("/") ? path : path + "/") + Self.percentEncoded(name)
        return ArtifactStoreURL(secretText: joined + (query.map { "?" + $0 } ?? ""), filledSecrets: filledSecrets)
    }

    /// The same URL, knowing which values in it came from secrets.
    func filled(with secrets: [String]) -> ArtifactStoreURL {
        ArtifactStoreURL(secretText: secretText, filledSecrets: secrets.filter { !$0.isEmpty })
    }

    /// Scheme, host and path, with any userinfo and query replaced by `[redacted]`: safe for
    /// events, logs and reports.
    public var redacted: String {
        let (path, query) = split
        let scheme = String(path.prefix(upTo: path.range(of: "://")!.upperBound))
        let rest = path.dropFirst(scheme.count)
        let slash = rest.firstIndex(of: "/") ?? rest.endIndex
        let authority = rest[..<slash]
        let host = authority.lastIndex(of: "@").map { "[redacted]@" + authority[authority.index(after: $0)...] } ?? String(authority)
        var shown = scheme + host + rest[slash...]
        for secret in filledSecrets.sorted(by: { $0.count > $1.count }) { shown = shown.replacingAll(secret, with: "[redacted]") }
        return shown + (query == nil ? "" : "?[redacted]")
    }

    public var description: String { redacted }

    /// The parts of the URL that may be secret (the query, the userinfo), for scrubbing text a
    /// downloader printed.
    public var secretParts: [String] {
        var parts = filledSecrets
        if let query = split.query, !query.isEmpty { parts.append(query) }
        let authority = self.authority
        if let at = authority.lastIndex(of: "@") { parts.append(String(authority[..<at])) }
        return parts
    }

    /// `text` with every secret part of this URL replaced by `[redacted]`.
    public func scrub(_ text: String) -> String {
        var out = text
        for part in secretParts.sorted(by: { $0.count > $1.count }) where !part.isEmpty {
            out = out.replacingAll(part, with: "[redacted]")
        }
        return out
    }

    private var split: (path: String, query: String?) {
        guard let mark = secretText.firstIndex(of: "?") else { return (secretText, nil) }
        return (String(secretText[..<mark]), String(secretText[secretText.index(after: mark)...]))
    }

    private var authority: String {
        let path = split.path
        guard let range = path.range(of: "://") else { return "" }
        let rest = path[range.upperBound...]
        return String(rest[..<(rest.firstIndex(of: "/") ?? rest.endIndex)])
    }

    private var hostPart: String {
        let authority = self.authority
        return String(authority[(authority.lastIndex(of: "@").map { authority.index(after: $0) } ?? authority.startIndex)...])
    }

    private static func allowed(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "a"..."z", "A"..."Z", "0"..."9": return true
        default: return "-._~:/?#[]@!$&'()*+,;=%".unicodeScalars.contains(scalar) && scalar != "'"
        }
    }

    private static func percentEncoded(_ name: String) -> String {
        var out = ""
        for byte in name.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"), UInt8(ascii: "+"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let digits = Array("0123456789ABCDEF")
                out += "%" + String(digits[Int(byte >> 4)]) + String(digits[Int(byte & 0xF)])
            }
        }
        return out
    }
}

/// `artifact_store.url` as the playbook writes it: it may name variables of the runner's
/// environment, `{{ secrets.NAME }}` (as `notify` URLs do), so a token need not be written in
/// the playbook; they are filled in when a deploy pulls.
public struct ArtifactStoreURLSetting: Sendable, Hashable {
    /// The text as written, placeholders included.
    public let template: String
    /// The runner variables it names, in order.
    public let secretNames: [String]

    /// Checks the shape, each placeholder standing for a plain value.
    public static func parse(_ text: String) -> Result<ArtifactStoreURLSetting, ArtifactStoreURLError> {
        var names: [String] = []
        for match in text.matches(of: Webhook.placeholder) where !names.contains(String(match.output.1)) {
            names.append(String(match.output.1))
        }
        let rest = text.replacing(Webhook.placeholder, with: "x")
        if rest.contains("{{") || rest.contains("}}") {
            return .failure(ArtifactStoreURLError("placeholders are {{ secrets.NAME }} only (NAME: a variable of the runner's environment)"))
        }
        if case .failure(let error) = ArtifactStoreURL.parse(rest) { return .failure(error) }
        return .success(ArtifactStoreURLSetting(template: text, secretNames: names))
    }

    /// The URL with every placeholder filled from `environment`. The messages never show a value.
    public func resolve(_ environment: [String: String]) -> Result<ArtifactStoreURL, ArtifactStoreURLError> {
        var values: [String] = []
        var text = template
        for name in secretNames {
            guard let value = environment[name], !value.isEmpty else {
                return .failure(ArtifactStoreURLError("names {{ secrets.\(name) }}, but $\(name) is not set on the runner"))
            }
            values.append(value)
            text = Webhook.replacing(name, in: text, with: value)
        }
        switch ArtifactStoreURL.parse(text) {
        case .success(let url): return .success(url.filled(with: values))
        case .failure(let error):
            return .failure(ArtifactStoreURLError("once \(secretNames.map { "$" + $0 }.joined(separator: ", ")) \(secretNames.count == 1 ? "is" : "are") filled in, \(error.message)"))
        }
    }

    /// What messages may show: the template, which holds no value of a secret, with its query
    /// and user info redacted.
    public var redacted: String {
        switch ArtifactStoreURL.parse(template.replacing(Webhook.placeholder, with: "x")) {
        case .success(let url) where secretNames.isEmpty: return url.redacted
        default: return "[the store URL]"
        }
    }
}

/// Why a text is not a store URL (the message completes "artifact_store.url …").
public struct ArtifactStoreURLError: Error, Sendable, Hashable {
    public let message: String

    public init(_ message: String) {
        self.message = message
    }
}

/// How the artifact reaches the hosts (`distribution:` in the playbook, `--distribution`).
public enum ArtifactDistribution: String, Sendable, Hashable, CaseIterable {
    /// The runner streams it to every host over SSH.
    case direct
    /// Every host downloads it from `artifact_store.url` itself; a host that cannot is pushed to.
    case pull
    /// The runner pushes it to a few hosts, and hosts that hold it pass it on to others over
    /// SSH in a tree (`relay:` tunes it); a host that cannot get it from its source is pushed to.
    case relay
}

extension String {
    fileprivate func replacingAll(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty else { return self }
        var out = ""
        var rest = self[...]
        while let range = rest.range(of: target) {
            out += rest[..<range.lowerBound] + replacement
            rest = rest[range.upperBound...]
        }
        return out + rest
    }
}
