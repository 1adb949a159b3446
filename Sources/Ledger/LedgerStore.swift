/// Where records are kept: SQLite (one machine) or PostgreSQL (several runners).
///
/// Stores run their blocking calls on a thread of their own (`DedicatedThread`), never on
/// Swift's cooperative pool.
public protocol LedgerStore: Sendable {
    /// Adds a record with its hosts, atomically; returns the id it got.
    @discardableResult
    func append(_ record: LedgerRecord) async throws(LedgerError) -> Int64

    /// Records matching `query`, newest (by finish time) first, with their hosts.
    func records(_ query: LedgerQuery) async throws(LedgerError) -> [LedgerRecord]

    /// Closes the connection and ends the store's thread.
    func close() async
}
