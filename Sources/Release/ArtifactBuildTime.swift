public import Foundation

/// When an artifact was built, for the ledger's lead time (build → promotion).
///
/// Read in the same pass that validates the archive, from (first match wins):
/// 1. `.cutover-build` at the archive's top level: one line, an ISO 8601 time
///    (`2026-11-25T19:45:00Z`, offsets and fractions allowed) or Unix seconds. A build writes it
///    with `date -u +%FT%TZ > .cutover-build` (or `echo $SOURCE_DATE_EPOCH`).
/// 2. the newest modification time of any member, when it is plausible (after 2000-01-01 and
///    not more than a day ahead of this machine's clock): reproducible builds clamp mtimes to
///    `SOURCE_DATE_EPOCH` (the last commit's time, which is what DORA's lead time starts from),
///    and archives packed with zeroed times are ignored.
public struct ArtifactBuildTime: Sendable, Hashable {
    public enum Source: String, Sendable, Hashable {
        /// The `.cutover-build` stamp file.
        case stampFile = "stamp"
        /// The newest member's modification time.
        case newestEntry = "mtime"
    }

    public var date: Date
    public var source: Source

    public init(date: Date, source: Source) {
        self.date = date
        self.source = source
    }

    /// The stamp file's name at the archive's top level.
    public static let stampFileName = ".cutover-build"
    /// A stamp file larger than this is not read (it is still deployed).
    static let maxStampBytes: Int64 = 256
    /// Modification times before this are taken as zeroed, not as a build time.
    static let earliestPlausible = Date(timeIntervalSince1970: 946_684_800)

    /// Whether a member name is the top-level stamp file (`.cutover-build` or `./.cutover-build`).
    static func isStampFile(_ name: String) -> Bool {
        name == stampFileName || name == "./" + stampFileName
    }

    /// The stamp when it parses, else a plausible newest mtime, else nil.
    init?(stamp: String?, newestModified: Int64?, now: Date = Date()) {
        if let stamp, let date = Self.parse(stamp) {
            self.init(date: date, source: .stampFile)
            return
        }
        guard let newestModified else { return nil }
        let date = Date(timeIntervalSince1970: TimeInterval(newestModified))
        guard date >= Self.earliestPlausible, date <= now.addingTimeInterval(86_400) else { return nil }
        self.init(date: date, source: .newestEntry)
    }

    /// Parses a stamp: ISO 8601 (with or without fractional seconds) or Unix seconds.
    public static func parse(_ text: String) -> Date? {
        let line = text.split(whereSeparator: \.isNewline).first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
        guard !line.isEmpty else { return nil }
        if line.allSatisfy(\.isNumber), let seconds = Int64(line) {
            return Date(timeIntervalSince1970: TimeInterval(seconds))
        }
        let plain = ISO8601DateFormatter()
        if let date = plain.date(from: line) { return date }
        let fractional = ISO8601DateFormatter()
        fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return fractional.date(from: line)
    }
}
