/// The forms a secret value takes in what Cutover writes, each of which must be redacted.
///
/// Besides the value itself: each line of a multi-line value (a PEM key printed line by line,
/// or the last lines of a hook's output joined on one line), and what Cutover's own quoting
/// makes of the value and its lines: POSIX single-quoting as `ShellQuote` writes it, nested as
/// deeply as Cutover nests commands (a templated check runs as `sh -c '…'`), and JSON string
/// escaping (with and without `\/`). Lines holding only whitespace are not secrets.
struct SecretForms {
    /// How many times Cutover may quote a value inside an already quoted command.
    static let shellNesting = 3

    /// Every form, the value first; no empty or whitespace-only form.
    let all: [String]

    init(of value: String) {
        var bases = [value]
        // `\r\n` is one Character, so split on every kind of line break, not on "\n".
        let lines = value.split(whereSeparator: \.isNewline).map(String.init)
        if lines.count > 1 || lines.first != value { bases += lines }
        var forms: [String] = []
        var seen = Set<String>()
        func add(_ form: String) {
            guard !form.allSatisfy(\.isWhitespace), seen.insert(form).inserted else { return }
            forms.append(form)
        }
        for base in bases {
            add(base)
            var quoted = base
            for _ in 0..<Self.shellNesting {
                quoted = Self.shellEscaped(quoted)
                add(quoted)
            }
            add(Self.jsonEscaped(base, escapingSlashes: false))
            add(Self.jsonEscaped(base, escapingSlashes: true))
        }
        all = forms
    }

    /// `text` as it stands between the single quotes `ShellQuote.quote` puts around it: each `'`
    /// written `'\''`. (Quoting is not applied to safe words, which are their own form anyway.)
    static func shellEscaped(_ text: String) -> String {
        text.replacing("'", with: "'\\''")
    }

    /// `text` as Cutover's JSON lines write it between a string's quotes (the encoder escapes C0
    /// controls, and Console's JSON lines escape DEL and C1 too).
    static func jsonEscaped(_ text: String, escapingSlashes: Bool) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "/" where escapingSlashes: out += "\\/"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            default:
                if scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }
}
