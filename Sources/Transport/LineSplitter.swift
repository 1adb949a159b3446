/// Turns output chunks into lines, holding at most ``lineLimit`` bytes of an unfinished one.
///
/// Splitting happens on the `\n` byte, which never occurs inside a multi-byte UTF-8 character,
/// so a character split across chunks is joined before it is decoded. A line longer than the
/// limit (50 MB of output without a newline, say) is emitted in pieces of at most `lineLimit`
/// bytes, each marked ``OutputLine/isCut``, cut between characters; it is *not* an error.
public struct LineSplitter: Sendable {
    /// The longest line kept whole, in bytes: 64 KiB.
    public static let defaultLineLimit = 64 * 1024

    public let lineLimit: Int
    private var pending: [UInt8] = []

    public init(lineLimit: Int = LineSplitter.defaultLineLimit) {
        self.lineLimit = max(4, lineLimit)
    }

    /// Appends a chunk and returns the lines it finished, without their newlines, and the
    /// pieces of any line that grew past the limit.
    public mutating func append(_ chunk: [UInt8]) -> [OutputLine] {
        var lines: [OutputLine] = []
        var start = chunk.startIndex
        while start < chunk.endIndex {
            let newline = chunk[start...].firstIndex(of: UInt8(ascii: "\n"))
            var segment = chunk[start..<(newline ?? chunk.endIndex)]
            while pending.count + segment.count > lineLimit {
                let room = lineLimit - pending.count
                pending += segment.prefix(room)
                segment = segment.dropFirst(room)
                let cut = Self.characterBoundary(in: pending)
                lines.append(OutputLine(String(decoding: pending[..<cut], as: UTF8.self), isCut: true))
                pending.removeSubrange(..<cut)
            }
            pending += segment
            guard let newline else { break }
            lines.append(OutputLine(String(decoding: pending, as: UTF8.self)))
            pending.removeAll(keepingCapacity: true)
            start = newline + 1
        }
        return lines
    }

    /// The last, unterminated line, if any.
    public mutating func finish() -> OutputLine? {
        defer { pending.removeAll() }
        return pending.isEmpty ? nil : OutputLine(String(decoding: pending, as: UTF8.self))
    }

    /// Where to cut `bytes` so that no UTF-8 character is split: before a character its last
    /// bytes only begin, else at the end.
    static func characterBoundary(in bytes: [UInt8]) -> Int {
        for back in 1...min(4, bytes.count) {
            let byte = bytes[bytes.count - back]
            if byte & 0xC0 == 0x80 { continue }   // a continuation byte: look further back
            let length = byte < 0x80 ? 1 : byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : byte >= 0xC0 ? 2 : 1
            return length > back && back < bytes.count ? bytes.count - back : bytes.count
        }
        return bytes.count
    }
}
