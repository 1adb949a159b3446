/// Reads the leading key-type string of an SSH wire-format public key blob.
enum SSHKeyBlob {
    /// Returns the key type embedded at the start of `blob` (a uint32 length followed by ASCII), or nil if unreadable.
    static func embeddedType(of blob: [UInt8]) -> String? {
        guard blob.count >= 4 else { return nil }
        let length = blob[0..<4].reduce(0) { ($0 << 8) | Int($1) }
        guard length > 0, length <= 64, blob.count >= 4 + length else { return nil }
        let bytes = blob[4..<(4 + length)]
        guard bytes.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else { return nil }
        return String(decoding: bytes, as: UTF8.self)
    }
}
