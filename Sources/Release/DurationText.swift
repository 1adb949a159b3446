/// Parses durations written as `500ms`, `1s`, `2m`, `1h` or combinations such as `1m30s`.
enum DurationText {
    /// Milliseconds per unit.
    private static let units: [String: Int64] = ["ms": 1, "s": 1000, "m": 60_000, "h": 3_600_000]

    /// The duration, or `nil` for anything else (no unit, unknown unit, negative, empty, overflowing).
    static func parse(_ text: String) -> Duration? {
        var total: Int64 = 0
        var scalars = Substring(text).unicodeScalars[...]
        guard !scalars.isEmpty else { return nil }
        while !scalars.isEmpty {
            let digits = scalars.prefix { ("0"..."9").contains($0) }
            guard !digits.isEmpty, let amount = Int64(String(String.UnicodeScalarView(digits))) else { return nil }
            scalars = scalars.dropFirst(digits.count)
            let unit = String(String.UnicodeScalarView(scalars.prefix { ("a"..."z").contains($0) }))
            scalars = scalars.dropFirst(unit.unicodeScalars.count)
            guard let scale = units[unit] else { return nil }
            let (milliseconds, overflowA) = amount.multipliedReportingOverflow(by: scale)
            let (sum, overflowB) = total.addingReportingOverflow(milliseconds)
            guard !overflowA, !overflowB, sum <= Int64.max / 1000 else { return nil }
            total = sum
        }
        return .milliseconds(total)
    }
}

/// Durations as users write them on the command line and in playbooks (`500ms`, `30s`, `1m30s`).
public enum DurationSyntax {
    /// The duration, or nil when the text is not one.
    public static func parse(_ text: String) -> Duration? {
        DurationText.parse(text)
    }
}
