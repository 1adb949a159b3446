/// Turns output chunks into whole lines. Splitting happens on the `\n` byte, which never
/// occurs inside a multi-byte UTF-8 character, so a character split across chunks is joined
/// before it is decoded.
public struct LineSplitter: Sendable {
    private var pending: [UInt8] = []

    public init() {}

    /// Appends a chunk and returns the complete lines it finished, without their newlines.
    public mutating func append(_ chunk: [UInt8]) -> [String] {
        var lines: [String] = []
        var start = 0
        for (index, byte) in chunk.enumerated() where byte == UInt8(ascii: "\n") {
            pending.append(contentsOf: chunk[start..<index])
            lines.append(String(decoding: pending, as: UTF8.self))
            pending.removeAll(keepingCapacity: true)
            start = index + 1
        }
        pending.append(contentsOf: chunk[start...])
        return lines
    }

    /// The last, unterminated line, if any.
    public mutating func finish() -> String? {
        defer { pending.removeAll() }
        return pending.isEmpty ? nil : String(decoding: pending, as: UTF8.self)
    }
}
