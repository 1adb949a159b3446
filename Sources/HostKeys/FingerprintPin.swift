/// A pinned `SHA256:` fingerprint, accepted with or without the prefix and base64 padding.
struct FingerprintPin {
    /// The pin as configured, for messages.
    let text: String
    /// The base64 part without prefix or padding.
    private let body: String

    /// Normalises a configured pin.
    init(_ text: String) {
        self.text = text
        var body = Substring(text.trimmingWhitespace())
        if body.hasPrefix("SHA256:") { body = body.dropFirst("SHA256:".count) }
        while body.hasSuffix("=") { body = body.dropLast() }
        self.body = String(body)
    }

    /// Returns `.pinned` if the key's fingerprint equals the pin, else throws `pinMismatch`.
    func check(_ key: HostKey, for address: HostAddress) throws(HostKeyError) -> HostKeyTrust {
        guard !body.isEmpty, key.fingerprint == "SHA256:" + body else {
            throw HostKeyError(
                code: .pinMismatch,
                description: "host key for \(address.lookupName) does not match the pinned fingerprint: "
                    + "offered \(key.algorithm) \(key.fingerprint), expected SHA256:\(body)")
        }
        return .pinned
    }
}

extension String {
    /// The string without leading and trailing spaces, tabs and newlines.
    fileprivate func trimmingWhitespace() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0.isNewline }
        return String(drop(while: isSpace).reversed().drop(while: isSpace).reversed())
    }
}
