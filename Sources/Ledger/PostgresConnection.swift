import CLibPQ
import Foundation

/// One libpq connection: parameterised statements in text format, nothing more. Used only on
/// its store's `DedicatedThread` (libpq calls block on the network).
final class PostgresConnection {
    private let handle: OpaquePointer

    /// Connects to a `postgres://` URI; `connectTimeout` bounds an unreachable server.
    init(url: String, connectTimeout: Int, applicationName: String = "cutover") throws(LedgerError) {
        let keywords = ["dbname", "connect_timeout", "application_name"]
        let values = [url, String(connectTimeout), String(decoding: applicationName.utf8.prefix(63), as: UTF8.self)]
        let connection = Self.withCStrings(keywords) { keywords in
            Self.withCStrings(values) { values in PQconnectdbParams(keywords, values, 1) }
        }
        guard let connection else { throw LedgerError("cannot connect to the ledger \(PostgresStore.redacted(url)): out of memory") }
        guard PQstatus(connection) == CONNECTION_OK else {
            let message = Self.trimmed(PQerrorMessage(connection))
            PQfinish(connection)
            throw LedgerError("cannot connect to the ledger \(PostgresStore.redacted(url)): \(message)")
        }
        // libpq prints server notices to stderr ("relation ... already exists, skipping" from
        // the schema check): the operator's output is not the place for them.
        // PQsetNoticeProcessor(3): a processor that drops them.
        _ = PQsetNoticeProcessor(connection, { _, _ in }, nil)
        handle = connection
    }

    deinit {
        PQfinish(handle)
    }

    /// Runs statements without parameters (several, separated by `;`).
    func execute(_ sql: String) throws(LedgerError) {
        guard let result = PQexec(handle, sql) else { throw LedgerError("ledger: \(Self.trimmed(PQerrorMessage(handle)))") }
        defer { PQclear(result) }
        let status = PQresultStatus(result)
        guard status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK else {
            throw LedgerError("ledger: \(Self.trimmed(PQresultErrorMessage(result)))")
        }
    }

    /// Runs one statement; parameters are text (nil is NULL); returns rows of text values.
    @discardableResult
    func query(_ sql: String, _ parameters: [String?] = []) throws(LedgerError) -> [[String?]] {
        let copies = parameters.map { $0.flatMap { strdup($0) } }
        defer { copies.forEach { free($0) } }
        let pointers = copies.map { UnsafePointer<CChar>($0) }
        let result = pointers.withUnsafeBufferPointer { buffer in
            PQexecParams(handle, sql, Int32(parameters.count), nil, buffer.baseAddress, nil, nil, 0)
        }
        guard let result else { throw LedgerError("ledger: \(Self.trimmed(PQerrorMessage(handle)))") }
        defer { PQclear(result) }
        let status = PQresultStatus(result)
        guard status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK else {
            throw LedgerError("ledger: \(Self.trimmed(PQresultErrorMessage(result)))")
        }
        let columns = PQnfields(result)
        return (0..<PQntuples(result)).map { row in
            (0..<columns).map { column in
                PQgetisnull(result, row, column) == 1 ? nil : String(cString: PQgetvalue(result, row, column))
            }
        }
    }

    /// Runs `body` in a transaction; rolls back when it throws.
    func transaction<T>(_ body: () throws(LedgerError) -> T) throws(LedgerError) -> T {
        try query("BEGIN")
        do {
            let result = try body()
            try query("COMMIT")
            return result
        } catch {
            _ = try? query("ROLLBACK")
            throw error
        }
    }

    private static func trimmed(_ message: UnsafePointer<CChar>?) -> String {
        message.map { String(cString: $0).trimmingCharacters(in: .whitespacesAndNewlines) } ?? "unknown error"
    }

    /// A NULL-terminated array of C strings, alive for `body`.
    private static func withCStrings<T>(_ strings: [String], _ body: (UnsafePointer<UnsafePointer<CChar>?>) -> T) -> T {
        let copies = strings.map { strdup($0) }
        defer { copies.forEach { free($0) } }
        let pointers = copies.map { UnsafePointer<CChar>($0) } + [nil]
        return pointers.withUnsafeBufferPointer { body($0.baseAddress!) }
    }
}
