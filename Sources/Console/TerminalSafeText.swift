/// Text from outside Cutover (what hosts print, values read from hosts) made harmless to write
/// to a terminal: every control character shown instead of obeyed.
///
/// A host that prints `ESC ] 52 ; c ; …` would write the clipboard, `ESC ] 0 ; …` would set the
/// window title, and `ESC [ 1 A`, `ESC [ 2 K`, `\r` would move the cursor back over "FAILED" and
/// print a fake "ok". Here C0 controls become caret notation (ESC is `^[`, BEL `^G`, CR `^M`,
/// DEL `^?`) and C1 controls (U+0080–U+009F, which some terminals obey as 8-bit `CSI`, `OSC`…)
/// become `<U+009B>`, so the text stays visible and nothing is executed; no backslash is added,
/// so a JSON line passing through stays valid JSON. Tab is kept; a newline is kept only where it
/// separates lines (``init(lines:)``; `\r\n` counts as one).
///
/// Not an error: text that holds no control character comes back unchanged. Cutover's own
/// styling (the live view's colours and cursor control) is added after this, never passed in.
public struct TerminalSafeText: Sendable, Hashable, CustomStringConvertible {
    /// The text, safe to write.
    public let text: String

    /// `content` as lines: `\n` (or `\r\n`) separates them; every other control is shown.
    public init(lines content: String) {
        text = Self.neutralised(content, keepingNewlines: true)
    }

    /// `content` as part of one line: a newline is shown too (`^J`).
    public init(inline content: String) {
        text = Self.neutralised(content, keepingNewlines: false)
    }

    public var description: String { text }

    /// Works on UTF-8 bytes, one pass, no allocation per control: output made of nothing but
    /// controls (50 MB of NULs from `cutover exec`) costs as little as any other.
    private static func neutralised(_ content: String, keepingNewlines: Bool) -> String {
        var content = content
        return content.withUTF8 { bytes -> String in
            guard bytes.contains(where: { $0 < 0x20 && $0 != 0x09 || $0 == 0x7F || $0 == 0xC2 }) else { return String(decoding: bytes, as: UTF8.self) }
            var out: [UInt8] = []
            out.reserveCapacity(bytes.count + bytes.count / 2)
            var index = 0
            while index < bytes.count {
                let byte = bytes[index]
                index += 1
                if keepingNewlines && byte == 0x0A { out.append(byte); continue }
                if keepingNewlines && byte == 0x0D && index < bytes.count && bytes[index] == 0x0A { continue }
                if byte < 0x20 && byte != 0x09 {
                    out.append(UInt8(ascii: "^"))
                    out.append(byte + 0x40)
                } else if byte == 0x7F {
                    out.append(contentsOf: "^?".utf8)
                } else if byte == 0xC2, index < bytes.count, (0x80...0x9F).contains(bytes[index]) {
                    // U+0080…U+009F, a C1 control: `<U+009B>`.
                    out.append(contentsOf: ("<U+00" + String(bytes[index], radix: 16, uppercase: true) + ">").utf8)
                    index += 1
                } else {
                    out.append(byte)
                }
            }
            return String(decoding: out, as: UTF8.self)
        }
    }
}
