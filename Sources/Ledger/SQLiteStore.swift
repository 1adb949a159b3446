import Foundation

/// The default ledger: one SQLite file (WAL, so readers never wait for a writer; a busy timeout,
/// so two deploys finishing at once take turns). The schema version is SQLite's `user_version`.
public final class SQLiteStore: LedgerStore {
    /// How long a writer waits for another one before giving up.
    public static let busyTimeout: Duration = .seconds(5)

    public let path: String
    private let thread: DedicatedThread<SQLiteConnection?>

    /// Opens `path`. With `create`, its directory and the file are made (private to the user);
    /// without it a missing file reads as an empty ledger.
    public init(path: String, create: Bool = true) {
        self.path = path
        thread = DedicatedThread(name: "cutover-ledger-sqlite", open: { () throws(LedgerError) -> SQLiteConnection? in
            if !create && !FileManager.default.fileExists(atPath: path) { return nil }
            if create { try Self.makeDirectory(for: path) }
            let connection = try SQLiteConnection(path: path, create: create, busyTimeout: Self.busyTimeout)
            if create { chmod(path, 0o600) }
            try SQLiteSchema.migrate(connection)
            return connection
        }, close: { _ in })
    }

    @discardableResult
    public func append(_ record: LedgerRecord) async throws(LedgerError) -> Int64 {
        let path = self.path
        return try await thread.run { (connection: SQLiteConnection?) throws(LedgerError) -> Int64 in
            guard let connection else { throw LedgerError("the ledger \(path) was opened read-only") }
            return try connection.transaction { () throws(LedgerError) -> Int64 in
                let fields = RecordColumns.fields(record).map(Self.value)
                let marks = Array(repeating: "?", count: fields.count).joined(separator: ", ")
                try connection.query("INSERT INTO records (\(RecordColumns.names.joined(separator: ", "))) VALUES (\(marks))", fields)
                let id = connection.lastInsertID
                for (position, host) in record.hosts.enumerated() {
                    try connection.query(
                        "INSERT INTO record_hosts (record_id, position, host, state, release_id, detail) VALUES (?, ?, ?, ?, ?, ?)",
                        [.integer(id), .integer(Int64(position))] + RecordColumns.hostFields(host).map(SQLiteConnection.Value.init))
                }
                return id
            }
        }
    }

    public func records(_ query: LedgerQuery) async throws(LedgerError) -> [LedgerRecord] {
        try await thread.run { (connection: SQLiteConnection?) throws(LedgerError) -> [LedgerRecord] in
            guard let connection else { return [] }
            var sql = "SELECT id, \(RecordColumns.names.joined(separator: ", ")) FROM records WHERE 1 = 1"
            var parameters: [SQLiteConnection.Value] = []
            if let app = query.app { sql += " AND app = ?"; parameters.append(.text(app)) }
            if let environment = query.environment { sql += " AND environment = ?"; parameters.append(.text(environment)) }
            if let since = query.since { sql += " AND finished_at >= ?"; parameters.append(.init(since)) }
            sql += " ORDER BY finished_at DESC, id DESC"
            if let limit = query.limit { sql += " LIMIT ?"; parameters.append(.integer(Int64(limit))) }
            var records: [LedgerRecord] = []
            for row in try connection.query(sql, parameters) {
                let id = row[0].integer ?? 0
                records.append(try RecordColumns.record(id: id, text: { row[$0 + 1].text }, time: { row[$0 + 1].date }))
            }
            guard !records.isEmpty else { return [] }
            let ids = records.compactMap(\.id)
            let marks = Array(repeating: "?", count: ids.count).joined(separator: ", ")
            var hosts: [Int64: [HostRecord]] = [:]
            for row in try connection.query(
                "SELECT record_id, host, state, release_id, detail FROM record_hosts WHERE record_id IN (\(marks)) ORDER BY record_id, position",
                ids.map { .integer($0) }) {
                hosts[row[0].integer ?? 0, default: []].append(
                    HostRecord(host: row[1].text ?? "", state: row[2].text ?? "", release: row[3].text, detail: row[4].text))
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

    private static func value(_ field: RecordColumns.Field) -> SQLiteConnection.Value {
        switch field {
        case .text(let text): return .init(text)
        case .time(let date): return .init(date)
        }
    }

    private static func makeDirectory(for path: String) throws(LedgerError) {
        let directory = (path as NSString).deletingLastPathComponent
        guard !directory.isEmpty, !FileManager.default.fileExists(atPath: directory) else { return }
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
        } catch {
            throw LedgerError("cannot create the ledger's directory \(directory): \(error.localizedDescription)")
        }
    }
}
