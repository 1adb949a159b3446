/// A variable value from an inventory: the YAML scalar and collection shapes Cutover keeps.
public enum InventoryValue: Sendable, Hashable, CustomStringConvertible {
    case string(String)
    case int(Int)
    case double(Double)
    case bool(Bool)
    case list([InventoryValue])
    case map([String: InventoryValue])
    /// `{ secret: true, value: … }` or `{ secret: true, env: NAME }`.
    case secret(SecretVariable)

    /// The value as a user would write it: scalars bare, lists `[a, b]`, maps `{k: v}` with sorted keys.
    public var description: String {
        switch self {
        case .string(let value): return value
        case .int(let value): return String(value)
        case .double(let value): return String(value)
        case .bool(let value): return value ? "true" : "false"
        case .list(let values): return "[" + values.map(\.description).joined(separator: ", ") + "]"
        case .map(let values):
            return "{" + values.keys.sorted().map { "\($0): \(values[$0]!.description)" }.joined(separator: ", ") + "}"
        case .secret(let secret):
            // Templates substitute the value (an http check's URL may need a token); every
            // output redacts it.
            return secret.value
        }
    }
}

/// A variable marked `secret: true`: its value comes from the file (`value:`) or from the
/// orchestrator's environment (`env:`), is redacted from every output, and reaches the host's
/// commands as the environment variable ``hostName`` without ever being on a command line.
public struct SecretVariable: Sendable, Hashable, CustomStringConvertible {
    /// The environment variable the host's commands see: the var's name in upper case.
    public var hostName: String
    public var value: String

    public init(hostName: String, value: String) {
        self.hostName = hostName
        self.value = value
    }

    /// Never the value.
    public var description: String { "[secret \(hostName)]" }
}
