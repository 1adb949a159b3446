public import Foundation

/// Which records to read: newest first.
public struct LedgerQuery: Sendable, Hashable {
    /// One app, or every app.
    public var app: String?
    /// One environment, or every environment.
    public var environment: String?
    /// Records that finished at or after this time.
    public var since: Date?
    /// At most this many (the newest).
    public var limit: Int?

    public init(app: String? = nil, environment: String? = nil, since: Date? = nil, limit: Int? = nil) {
        self.app = app
        self.environment = environment
        self.since = since
        self.limit = limit
    }
}
