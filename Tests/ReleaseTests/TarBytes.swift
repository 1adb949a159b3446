/// Builds tar bytes by hand for headers the system tar will not write.
enum TarBytes {
    /// One ustar header block with a valid checksum (unless `breakChecksum`).
    static func header(_ name: String, type: Character = "0", size: Int = 0, link: String = "", breakChecksum: Bool = false) -> [UInt8] {
        var block = [UInt8](repeating: 0, count: 512)
        func put(_ text: String, at offset: Int) {
            for (index, byte) in text.utf8.enumerated() { block[offset + index] = byte }
        }
        put(name, at: 0)
        put("0000644", at: 100)
        put("0000000", at: 108)
        put("0000000", at: 116)
        put(octal(size, width: 11), at: 124)
        put("00000000000", at: 136)
        block[156] = type.asciiValue!
        put(link, at: 157)
        put("ustar\u{0}00", at: 257)
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

    /// Two zero blocks.
    static let end = [UInt8](repeating: 0, count: 1024)
}

/// `value` in octal, left-padded with zeros to `width` digits.
func octal(_ value: Int, width: Int) -> String {
    let digits = String(value, radix: 8)
    return String(repeating: "0", count: max(0, width - digits.count)) + digits
}
