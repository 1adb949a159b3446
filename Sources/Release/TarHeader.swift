/// One 512-byte tar header block, decoded (ustar, old GNU or old v7).
struct TarHeader {
    /// The raw type flag byte (`0`, `5`, `L`, `x`, …).
    var type: UInt8
    /// The name, with the ustar prefix joined in.
    var name: String
    /// The permission bits (at most `0o7777`, as GNU tar masks them); `nil` when the field is no number.
    var mode: Int?
    /// The link target of a symlink or hardlink.
    var linkName: String
    /// The data size that follows the header.
    var size: Int64
    /// The modification time, Unix seconds.
    var modified: Int64

    /// Whether every byte of a block is zero (end-of-archive marker).
    static func isZero(_ block: [UInt8]) -> Bool {
        block.allSatisfy { $0 == 0 }
    }

    /// Whether the block carries the `ustar` magic (POSIX or old GNU).
    static func hasMagic(_ block: [UInt8]) -> Bool {
        Array(block[257..<262]) == Array("ustar".utf8)
    }

    /// Whether the block has a `prefix` field: its magic is POSIX `ustar\0`, whatever the version
    /// bytes say (GNU tar's test). Old GNU headers (`ustar  \0`) keep times and offsets there.
    static func hasPrefix(_ block: [UInt8]) -> Bool {
        Array(block[257..<263]) == Array("ustar\u{0}".utf8)
    }

    /// Decodes a block, verifying its checksum; `nil` when the checksum or a number field is invalid.
    init?(block: [UInt8]) {
        guard block.count == 512, let stored = Self.number(block[148..<156]) else { return nil }
        // The checksum counts its own field as eight spaces.
        var unsigned = Int64(8 * 0x20), signed = Int64(8 * 0x20)
        block.withUnsafeBufferPointer { bytes in
            for index in 0..<512 where index < 148 || index >= 156 {
                unsigned &+= Int64(bytes[index])
                signed &+= Int64(Int8(bitPattern: bytes[index]))
            }
        }
        guard stored == unsigned || stored == signed, let size = Self.number(block[124..<136]), size >= 0 else { return nil }
        type = block[156]
        self.size = size
        modified = Self.number(block[136..<148]) ?? 0
        mode = Self.number(block[100..<108]).map { Int($0 & 0o7777) }
        name = Self.text(block[0..<100])
        linkName = Self.text(block[157..<257])
        if Self.hasPrefix(block) {
            let prefix = Self.text(block[345..<500])
            if !prefix.isEmpty { name = prefix + "/" + name }
        }
    }

    /// A NUL-terminated field as text.
    static func text(_ field: ArraySlice<UInt8>) -> String {
        let bytes = field.prefix { $0 != 0 }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// An octal number field (spaces and NULs around it allowed) or a GNU base-256 number.
    static func number(_ field: ArraySlice<UInt8>) -> Int64? {
        guard let first = field.first else { return nil }
        if first & 0x80 != 0 {
            var value: Int64 = Int64(first & 0x7f)
            for byte in field.dropFirst() {
                guard value < (Int64.max >> 8) else { return nil }
                value = value << 8 | Int64(byte)
            }
            return value
        }
        let digits = field.drop { $0 == 0x20 }.prefix { $0 != 0 && $0 != 0x20 }
        if digits.isEmpty { return 0 }
        var value: Int64 = 0
        for byte in digits {
            guard (UInt8(ascii: "0")...UInt8(ascii: "7")).contains(byte), value < (Int64.max >> 3) else { return nil }
            value = value << 3 | Int64(byte - UInt8(ascii: "0"))
        }
        return value
    }
}
