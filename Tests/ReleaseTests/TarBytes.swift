/// Builds tar bytes by hand for headers the system tar will not write.
enum TarBytes {
    /// POSIX ustar magic and version (`ustar\0` `00`).
    static let ustar = "ustar\u{0}00"
    /// Old GNU magic (`ustar` two spaces NUL): its bytes 345–500 are no `prefix`.
    static let oldGNU = "ustar  \u{0}"

    /// One header block with a valid checksum (unless `breakChecksum`); ustar unless `magic` says otherwise.
    static func header(_ name: String, type: Character = "0", size: Int = 0, link: String = "", mode: Int = 0o644,
                       magic: String = ustar, prefix: String = "", breakChecksum: Bool = false) -> [UInt8] {
        var block = [UInt8](repeating: 0, count: 512)
        func put(_ text: String, at offset: Int) {
            for (index, byte) in text.utf8.enumerated() { block[offset + index] = byte }
        }
        put(name, at: 0)
        put(octal(mode, width: 7), at: 100)
        put("0000000", at: 108)
        put("0000000", at: 116)
        put(octal(size, width: 11), at: 124)
        put("00000000000", at: 136)
        block[156] = type.asciiValue!
        put(link, at: 157)
        put(magic, at: 257)
        put(prefix, at: 345)
        put("        ", at: 148)
        let sum = block.reduce(0) { $0 + Int($1) } + (breakChecksum ? 1 : 0)
        put(octal(sum, width: 6) + "\u{0} ", at: 148)
        return block
    }

    /// Data padded to a whole number of blocks.
    static func data(_ text: String) -> [UInt8] {
        var bytes = Array(text.utf8)
        bytes += [UInt8](repeating: 0, count: (512 - bytes.count % 512) % 512)
        return bytes
    }

    /// A pax extended header carrying `records`.
    static func pax(_ records: [(String, String)]) -> [UInt8] {
        var body = ""
        for (key, value) in records {
            let payload = " \(key)=\(value)\n"
            var length = payload.utf8.count + 1
            while "\(length)".count + payload.utf8.count != length { length += 1 }
            body += "\(length)\(payload)"
        }
        return header("PaxHeaders/x", type: "x", size: body.utf8.count) + data(body)
    }

    /// A GNU long name (`L`) or long link (`K`) record for the next member, as GNU tar writes it.
    static func gnuLong(_ type: Character, _ text: String) -> [UInt8] {
        header("././@LongLink", type: type, size: text.utf8.count + 1, magic: oldGNU) + data(text + "\u{0}")
    }

    /// Two zero blocks.
    static let end = [UInt8](repeating: 0, count: 1024)
}

/// `value` in octal, left-padded with zeros to `width` digits.
func octal(_ value: Int, width: Int) -> String {
    let digits = String(value, radix: 8)
    return String(repeating: "0", count: max(0, width - digits.count)) + digits
}
