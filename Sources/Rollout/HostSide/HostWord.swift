/// The shape of the words a host reports besides release ids: deploy ids, journal steps and
/// keys, lock tokens. What fails these checks came from somewhere other than Cutover.
enum HostWord {
    /// A deploy id, journal step or key: 1 to 64 ASCII letters, digits, `.`, `_` and `-`,
    /// starting with a letter or digit (`d-20261125T213358-69c2`, `rollback-verified`).
    static func isName(_ text: String) -> Bool {
        // Bytes: a name is ASCII, so a byte outside it (any of a non-ASCII scalar's) refuses it.
        let bytes = text.utf8
        guard let first = bytes.first, bytes.count <= 64, isAlphanumeric(first) else { return false }
        for byte in bytes where !(isAlphanumeric(byte) || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")) {
            return false
        }
        return true
    }

    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
            || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
    }

    /// A lease's fencing token or a count: 1 to 18 ASCII digits.
    static func isNumber(_ text: String) -> Bool {
        !text.isEmpty && text.count <= 18 && text.unicodeScalars.allSatisfy { ("0"..."9").contains($0) }
    }
}
