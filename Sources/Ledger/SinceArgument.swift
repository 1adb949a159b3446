public import Foundation

/// `--since`: a duration back from now (`90m`, `12h`, `7d`, `2w`) or a date (`2026-11-01`,
/// midnight UTC) or time (`2026-11-01T08:00:00Z`).
public enum SinceArgument {
    public static func parse(_ text: String, now: Date = Date()) throws(LedgerError) -> Date {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let unit = trimmed.last, let seconds = Self.units[unit], let count = Double(trimmed.dropLast()), count >= 0, count.isFinite {
            return now.addingTimeInterval(-count * seconds)
        }
        let time = ISO8601DateFormatter()
        if let date = time.date(from: trimmed) { return date }
        let day = ISO8601DateFormatter()
        day.formatOptions = [.withFullDate]
        if trimmed.count == 10, let date = day.date(from: trimmed) { return date }
        throw LedgerError("--since '\(text)': expected a duration (90m, 12h, 7d, 2w) or a date (2026-11-01, 2026-11-01T08:00:00Z)")
    }

    private static let units: [Character: Double] = ["s": 1, "m": 60, "h": 3600, "d": 86_400, "w": 604_800]
}
