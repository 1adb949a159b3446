/// A ledger that could not be opened, read or written. Messages never carry a password.
public struct LedgerError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
