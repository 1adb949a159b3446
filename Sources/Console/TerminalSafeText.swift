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

    private static func neutralised(_ content: String, keepingNewlines: Bool) -> String {
        let scalars = content.unicodeScalars
        guard scalars.contains(where: isControl) else { return content }
        var out = String.UnicodeScalarView()
        var index = scalars.startIndex
        while index < scalars.endIndex {
            let scalar = scalars[index]
            let next = scalars.index(after: index)
            defer { index = next }
            if keepingNewlines && (scalar == "\n" || (scalar == "\r" && next < scalars.endIndex && scalars[next] == "\n")) {
                if scalar == "\n" { out.append(scalar) }
                continue
            }
            guard isControl(scalar) else {
                out.append(scalar)
                continue
            }
            out.append(contentsOf: visible(scalar).unicodeScalars)
        }
        return String(out)
    }

    /// A control character other than tab.
    private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        (scalar.value < 0x20 && scalar != "\t") || (0x7F...0x9F).contains(scalar.value)
    }

    /// `^[` for ESC, `^?` for DEL, `<U+009B>` for a C1 control.
    private static func visible(_ scalar: Unicode.Scalar) -> String {
        switch scalar.value {
        case 0x7F: return "^?"
        case 0..<0x20: return "^" + String(Character(Unicode.Scalar(UInt8(scalar.value + 0x40))))
        default: return "<U+00" + String(scalar.value, radix: 16, uppercase: true) + ">"
        }
    }
}
