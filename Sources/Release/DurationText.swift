/// Parses durations written as `500ms`, `1s`, `2m`, `1h`, combinations such as `1m30s`, and
/// decimals as Go, Prometheus and Kubernetes users write them (`0.5s`, `1.5m`, `.5s`).
enum DurationText {
    /// Milliseconds per unit.
    private static let units: [String: Int64] = ["ms": 1, "s": 1000, "m": 60_000, "h": 3_600_000]

    /// The duration (to the millisecond, rounded), or `nil` for anything else (no unit,
    /// unknown unit, negative, empty, no digit, overflowing).
    static func parse(_ text: String) -> Duration? {
        var total: Int64 = 0
        var scalars = Substring(text).unicodeScalars[...]
        guard !scalars.isEmpty else { return nil }
        func digits() -> String {
            let run = scalars.prefix { ("0"..."9").contains($0) }
            scalars = scalars.dropFirst(run.count)
            return String(String.UnicodeScalarView(run))
        }
        while !scalars.isEmpty {
            let whole = digits()
            var fraction = ""
            if scalars.first == "." {
                scalars = scalars.dropFirst()
                fraction = digits()
            }
            guard !(whole.isEmpty && fraction.isEmpty), whole.count <= 18 else { return nil }
            let unit = String(String.UnicodeScalarView(scalars.prefix { ("a"..."z").contains($0) }))
            scalars = scalars.dropFirst(unit.unicodeScalars.count)
            guard let scale = units[unit], let amount = Int64(whole.isEmpty ? "0" : whole) else { return nil }
            let (milliseconds, overflowA) = amount.multipliedReportingOverflow(by: scale)
            // The fraction's share of the unit, in milliseconds, rounded (18 digits at most).
            let kept = String(fraction.prefix(15))
            let part = kept.isEmpty ? 0 : Int64((Double("0." + kept)! * Double(scale)).rounded())
            let (sum, overflowB) = total.addingReportingOverflow(milliseconds)
            let (sum2, overflowC) = sum.addingReportingOverflow(part)
            guard !overflowA, !overflowB, !overflowC, sum2 <= Int64.max / 1000 else { return nil }
            total = sum2
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
