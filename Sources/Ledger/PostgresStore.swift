import Diagnostics
import Foundation

/// The ledger in PostgreSQL, for teams whose deploys run on several machines. libpq on a
/// thread of its own; one connection per store, opened on first use.
public final class PostgresStore: LedgerStore {
    /// Seconds allowed to reach the server (a ledger that is down must not hold a deploy long).
    public static let connectTimeout = 10

    private let thread: DedicatedThread<PostgresConnection>

    public init(url: String) {
        thread = DedicatedThread(name: "cutover-ledger-postgres", open: { () throws(LedgerError) -> PostgresConnection in
            let connection = try PostgresConnection(url: url, connectTimeout: Self.connectTimeout)
            try PostgresSchema.migrate(connection)
            return connection
        }, close: { _ in })
    }

    @discardableResult
    public func append(_ record: LedgerRecord) async throws(LedgerError) -> Int64 {
        try await thread.run { (connection: PostgresConnection) throws(LedgerError) -> Int64 in
            try connection.transaction { () throws(LedgerError) -> Int64 in
                let fields = RecordColumns.fields(record)
                let placeholders = zip(RecordColumns.names, fields.indices).map { name, index in
                    RecordColumns.times.contains(name) ? "to_timestamp($\(index + 1)::float8)" : "$\(index + 1)"
                }
                let values: [String?] = fields.map { field in
                    switch field {
                    case .text(let text): return text
                    case .time(let date): return date.map { String($0.timeIntervalSince1970) }
                    }
                }
                let rows = try connection.query(
                    "INSERT INTO records (\(RecordColumns.names.joined(separator: ", "))) VALUES (\(placeholders.joined(separator: ", "))) RETURNING id",
                    values)
                guard let id = (rows.first?.first ?? nil).flatMap({ Int64($0) }) else { throw LedgerError("ledger: the insert returned no id") }
                for (position, host) in record.hosts.enumerated() {
                    try connection.query(
                        "INSERT INTO record_hosts (record_id, position, host, state, release_id, detail) VALUES ($1, $2, $3, $4, $5, $6)",
                        [String(id), String(position)] + RecordColumns.hostFields(host))
                }
                return id
            }
        }
    }

    public func records(_ query: LedgerQuery) async throws(LedgerError) -> [LedgerRecord] {
        try await thread.run { (connection: PostgresConnection) throws(LedgerError) -> [LedgerRecord] in
            let columns = RecordColumns.names.map { RecordColumns.times.contains($0) ? "extract(epoch FROM \($0))::float8" : $0 }
            var sql = "SELECT id, \(columns.joined(separator: ", ")) FROM records WHERE true"
            var parameters: [String?] = []
            if let app = query.app { parameters.append(app); sql += " AND app = $\(parameters.count)" }
            if let environment = query.environment { parameters.append(environment); sql += " AND environment = $\(parameters.count)" }
            if let since = query.since {
                parameters.append(String(since.timeIntervalSince1970))
                sql += " AND finished_at >= to_timestamp($\(parameters.count)::float8)"
            }
            sql += " ORDER BY finished_at DESC, id DESC"
            if let limit = query.limit { parameters.append(String(limit)); sql += " LIMIT $\(parameters.count)" }
            var records: [LedgerRecord] = []
            for row in try connection.query(sql, parameters) {
                let id = (row[0]).flatMap { Int64($0) } ?? 0
                records.append(try RecordColumns.record(
                    id: id, text: { row[$0 + 1] },
                    time: { row[$0 + 1].flatMap(Double.init).map(Date.init(timeIntervalSince1970:)) }))
            }
            guard !records.isEmpty else { return [] }
            let ids = records.compactMap(\.id).map(String.init).joined(separator: ",")
            var hosts: [Int64: [HostRecord]] = [:]
            for row in try connection.query(
                "SELECT record_id, host, state, release_id, detail FROM record_hosts WHERE record_id = ANY($1::bigint[]) ORDER BY record_id, position",
                ["{\(ids)}"]) {
                hosts[row[0].flatMap { Int64($0) } ?? 0, default: []].append(
                    HostRecord(host: row[1] ?? "", state: row[2] ?? "", release: row[3], detail: row[4]))
            }
            return records.map { record in
                var record = record
                record.hosts = hosts[record.id ?? 0] ?? []
                return record
            }
        }
    }

    public func close() async {
        await thread.shutdown()
    }

    /// Registers the URI's password (userinfo or `password=`) as a secret, so no output shows it.
    static func registerPassword(in url: String) {
        let masked = redacted(url)
        guard masked != url else { return }
        // The password is what `redacted` replaced: the text between the common prefix and suffix.
        let prefix = zip(url, masked).prefix { $0 == $1 }.count
        let suffix = zip(url.reversed(), masked.reversed()).prefix { $0 == $1 }.count
        let start = url.index(url.startIndex, offsetBy: prefix)
        let end = url.index(url.endIndex, offsetBy: -suffix)
        if start < end { SecretRedaction.register(String(url[start..<end])) }
    }

    /// A connection URI without its password (`postgres://user:***@host/db`, `password=***`).
    public static func redacted(_ url: String) -> String {
        var text = url
        let (userinfo, query) = passwords(in: url)
        // From the end backwards, so the earlier range stays valid.
        if let query { text.replaceSubrange(query.value, with: "***") }
        if let userinfo { text.replaceSubrange(userinfo.value, with: "***") }
        return text
    }

    /// A connection URI with no password at all (`postgres://user@host/db`, no `password=`
    /// parameter): what a command can repeat, libpq taking the password from PGPASSWORD or
    /// ~/.pgpass.
    public static func withoutPassword(_ url: String) -> String {
        var text = url
        let (userinfo, query) = passwords(in: url)
        if let query { text.removeSubrange(query.whole) }
        if let userinfo { text.removeSubrange(userinfo.whole) }
        if text.hasSuffix("?") || text.hasSuffix("&") { text.removeLast() }
        return text
    }

    /// Where a URI holds a password: `:secret` in the userinfo (which ends at the last `@`
    /// before the path or query) and the first `password=secret` parameter (`whole` takes its
    /// `&` along); `value` is the secret alone.
    private static func passwords(in url: String)
        -> (userinfo: (whole: Range<String.Index>, value: Range<String.Index>)?, query: (whole: Range<String.Index>, value: Range<String.Index>)?) {
        var userinfo: (whole: Range<String.Index>, value: Range<String.Index>)?
        if let scheme = url.range(of: "://") {
            let rest = url[scheme.upperBound...]
            let authorityEnd = rest.firstIndex(where: { "/?".contains($0) }) ?? rest.endIndex
            if let at = rest[..<authorityEnd].lastIndex(of: "@"), let colon = rest[..<at].firstIndex(of: ":") {
                userinfo = (colon..<at, url.index(after: colon)..<at)
            }
        }
        var query: (whole: Range<String.Index>, value: Range<String.Index>)?
        if let range = url.range(of: "password=") {
            let end = url[range.upperBound...].firstIndex(of: "&") ?? url.endIndex
            query = (range.lowerBound..<(end == url.endIndex ? end : url.index(after: end)), range.upperBound..<end)
        }
        return (userinfo, query)
    }
}
