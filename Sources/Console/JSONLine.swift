/// A JSON Lines line as Cutover writes it: the encoder's output with DEL and the C1 controls
/// (U+007F–U+009F) written as `\u` escapes too.
///
/// JSON encoders escape only U+0000–U+001F and leave the others raw, and a terminal showing the
/// stream may obey U+009B as `CSI`. The escapes mean the same string to every JSON reader, and
/// these characters can only occur inside strings, so nothing else changes.
public enum JSONLine {
    /// `json` with DEL and C1 controls as `\u00XX` escapes.
    public static func escapingControls(_ json: String) -> String {
        guard json.unicodeScalars.contains(where: { (0x7F...0x9F).contains($0.value) }) else { return json }
        var out = ""
        for scalar in json.unicodeScalars {
            if (0x7F...0x9F).contains(scalar.value) {
                out += "\\u00" + String(scalar.value, radix: 16)
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
