public import Foundation

/// A lock file's fields as an operator reads them: who holds it and until when, in wall-clock
/// time (`d-20261207T0100-ab12 by alice@ci pid 4242, expires 01:15:03Z (in 14m)`).
///
/// The owner's `at SPACE since START` words identify the process for Cutover's own liveness
/// check (``LeaseHolder``) and mean nothing to a person: they are left out.
public enum LeaseText {
    public static func describe(_ lock: [String: String], now: Date = Date()) -> String {
        let deploy = lock["deploy"].flatMap { $0.isEmpty ? nil : $0 } ?? "(no valid deploy id)"
        var owner = lock["owner"] ?? "someone"
        if let at = owner.range(of: " at ") { owner = String(owner[..<at.lowerBound]) }
        var text = "\(deploy) by \(owner)"
        if let expires = lock["expires"].flatMap(TimeInterval.init) {
            let date = Date(timeIntervalSince1970: expires)
            let left = Int(date.timeIntervalSince(now).rounded())
            text += left > 0 ? ", expires \(clock(date)) (in \(span(left)))" : ", expired at \(clock(date)) (\(span(-left)) ago)"
        }
        return text
    }

    /// `01:15:03Z`, or `2026-12-07 01:15:03Z` when not today (UTC, like the hosts' journals).
    static func clock(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.locale = Locale(identifier: "en_US_POSIX")
        let sameDay = Calendar(identifier: .gregorian).dateComponents(in: TimeZone(identifier: "UTC")!, from: date).day
            == Calendar(identifier: .gregorian).dateComponents(in: TimeZone(identifier: "UTC")!, from: Date()).day
        formatter.dateFormat = sameDay ? "HH:mm:ss'Z'" : "yyyy-MM-dd HH:mm:ss'Z'"
        return formatter.string(from: date)
    }

    /// `45s`, `14m`, `2h05m`.
    static func span(_ seconds: Int) -> String {
        if seconds < 60 { return "\(seconds)s" }
        if seconds < 3600 { return "\(seconds / 60)m" }
        return "\(seconds / 3600)h" + String(format: "%02dm", seconds % 3600 / 60)
    }
}
