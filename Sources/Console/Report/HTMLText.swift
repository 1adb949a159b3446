import Diagnostics
import Foundation

/// Text made safe for HTML, SVG and XML (the JUnit file): element content and attribute values alike.
enum HTMLText {
    /// Redacts secrets first (an escaped secret, `&#39;` for `'`, would no longer match), then
    /// escapes `& < > " '`; control characters other than tab and newline (which no HTML or XML
    /// 1.0 document may hold) become U+FFFD.
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in SecretRedaction.redact(text).unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\t", "\n": out.unicodeScalars.append(scalar)
            default:
                if scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) {
                    out += "\u{FFFD}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }

    /// A coordinate or length for SVG: one decimal, never NaN.
    static func coordinate(_ value: Double) -> String {
        value.isFinite ? String(format: "%.1f", value) : "0"
    }

    /// A value for people: up to 4 significant digits, no exponent for everyday magnitudes.
    static func number(_ value: Double) -> String {
        guard value.isFinite else { return "–" }
        if value == value.rounded() && abs(value) < 1e9 { return String(Int(value)) }
        let text = String(format: "%.4g", value)
        return text
    }
}
