/// Parses durations written as `500ms`, `1s`, `2m`, `1h` or combinations such as `1m30s`.
enum DurationText {
    /// The duration, or `nil` for anything else (no unit, unknown unit, negative, empty).
    static func parse(_ text: String) -> Duration? {
        var total = Duration.zero
        var scalars = Substring(text).unicodeScalars[...]
        guard !scalars.isEmpty else { return nil }
        while !scalars.isEmpty {
            let digits = scalars.prefix { ("0"..."9").contains($0) }
            guard !digits.isEmpty, let amount = Int64(String(String.UnicodeScalarView(digits))) else { return nil }
            scalars = scalars.dropFirst(digits.count)
            let unit = String(String.UnicodeScalarView(scalars.prefix { ("a"..."z").contains($0) }))
            scalars = scalars.dropFirst(unit.unicodeScalars.count)
            switch unit {
            case "ms": total += .milliseconds(amount)
            case "s": total += .seconds(amount)
            case "m": total += .seconds(amount * 60)
            case "h": total += .seconds(amount * 3600)
            default: return nil
            }
        }
        return total
    }
}
