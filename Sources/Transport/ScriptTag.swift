import Foundation

/// A word no output can know in advance: `co` and the 32 hex digits of a random UUID. Remote
/// scripts print it around what the runner must find in their output (the shared shell's
/// markers, a probe's sections, check results, a listing), so nothing a host or an app prints
/// can pass for it.
public struct ScriptTag: Sendable, Hashable, CustomStringConvertible {
    public let text: String

    public init() {
        text = "co" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
    }

    public var description: String { text }
}
