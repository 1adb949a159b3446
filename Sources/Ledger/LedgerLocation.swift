public import Foundation
import Diagnostics

/// Where the ledger is: `--ledger`, else `$CUTOVER_LEDGER`, else the SQLite file in the state
/// directory (`${XDG_STATE_HOME:-$HOME/.local/state}/cutover/ledger.sqlite`).
public enum LedgerLocation: Sendable, Hashable, CustomStringConvertible {
    case sqlite(path: String)
    /// A libpq connection URI (`postgres://` or `postgresql://`).
    case postgres(url: String)
    /// `none`: nothing is recorded, and history, metrics and rollback have no ledger.
    case disabled

    /// The location an option (or the environment) names; a usage error when it names nothing known.
    public static func resolve(_ option: String?, environment: [String: String] = ProcessInfo.processInfo.environment) throws(LedgerError) -> LedgerLocation {
        if let option { return try parse(option, environment: environment) }
        if let named = environment["CUTOVER_LEDGER"], !named.isEmpty { return try parse(named, environment: environment) }
        return .sqlite(path: defaultPath(environment))
    }

    /// `none`, `postgres://…`/`postgresql://…`, `sqlite:PATH`, `sqlite://PATH` or a plain path;
    /// a libpq keyword/value string (``isKeywordValueString(_:)``) is refused without being repeated.
    static func parse(_ text: String, environment: [String: String]) throws(LedgerError) -> LedgerLocation {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.isEmpty { throw LedgerError("--ledger needs a path, sqlite:PATH, postgres://… or none") }
        if trimmed == "none" { return .disabled }
        if trimmed.hasPrefix("postgres://") || trimmed.hasPrefix("postgresql://") {
            PostgresStore.registerPassword(in: trimmed)
            return .postgres(url: trimmed)
        }
        if Self.isKeywordValueString(trimmed) {
            // Its words would name a SQLite file, password and all: refuse it, and never repeat it.
            throw LedgerError("the ledger location looks like a libpq key=value connection string, which is not accepted: use a postgres://… URL (the password in $PGPASSWORD or ~/.pgpass), a path, sqlite:PATH or none")
        }
        var path = trimmed
        if path.hasPrefix("sqlite://") { path = String(path.dropFirst("sqlite://".count)) }
        else if path.hasPrefix("sqlite:") { path = String(path.dropFirst("sqlite:".count)) }
        else if let colon = path.firstIndex(of: ":"), !path[..<colon].contains("/"), path[..<colon].count > 1 {
            throw LedgerError("unknown ledger '\(String(path[..<colon]))': use a path, sqlite:PATH, postgres://… or none")
        }
        if path.isEmpty { throw LedgerError("sqlite: needs a path") }
        if path == "~" || path.hasPrefix("~/") { path = (environment["HOME"] ?? NSHomeDirectory()) + path.dropFirst() }
        return .sqlite(path: path)
    }

    /// Whether `text` reads as a libpq keyword/value connection string (`host=db password=…`):
    /// a word that starts with `name=` or is `=` itself. A path such as `/var/a=b/ledger.sqlite`
    /// does not; a bare `a=b.sqlite` does (write `./a=b.sqlite`).
    static func isKeywordValueString(_ text: String) -> Bool {
        let words: [Substring] = text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" })
        return words.contains { (word: Substring) -> Bool in
            guard let eq = word.firstIndex(of: "=") else { return false }
            return word.prefix(upTo: eq).allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
        }
    }

    /// `${XDG_STATE_HOME:-$HOME/.local/state}/cutover/ledger.sqlite`.
    public static func defaultPath(_ environment: [String: String]) -> String {
        let state = environment["XDG_STATE_HOME"].flatMap { $0.hasPrefix("/") ? $0 : nil }
            ?? (environment["HOME"] ?? NSHomeDirectory()) + "/.local/state"
        return state + "/cutover/ledger.sqlite"
    }

    /// Opens the store (nil for `none`). `forWriting: false` never creates a SQLite file.
    public func open(forWriting: Bool) -> (any LedgerStore)? {
        switch self {
        case .sqlite(let path): return SQLiteStore(path: path, create: forWriting)
        case .postgres(let url): return PostgresStore(url: url)
        case .disabled: return nil
        }
    }

    /// For messages: the path, or the URL without its password.
    public var description: String {
        switch self {
        case .sqlite(let path): return path
        case .postgres(let url): return PostgresStore.redacted(url)
        case .disabled: return "none"
        }
    }
}
