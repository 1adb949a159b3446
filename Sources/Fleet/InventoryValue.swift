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
    /// A null (`None` in an INI value, `~` or nothing in YAML): Ansible keeps it as null.
    case null

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
        case .null: return ""
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

    /// Why a host-side name cannot be a secret's, or nil when it can: names the shell, the dynamic
    /// loader, sshd or Cutover itself read (`PATH`, `LD_PRELOAD`, `BASH_ENV`, `CUTOVER_RELEASE`…)
    /// would change what the host's commands do, not just hand them a value.
    public static func reservation(of hostName: String) -> String? {
        if reservedNames.contains(hostName) { return "which the shell and every command on the host rely on" }
        for (prefix, reader) in reservedPrefixes where hostName.hasPrefix(prefix) {
            return "and \(prefix)* variables are \(reader)"
        }
        return nil
    }

    static let reservedNames: Set<String> = [
        "PATH", "BASH_ENV", "ENV", "IFS", "PS4", "SHELLOPTS", "BASHOPTS", "HOME", "SHELL", "USER", "LOGNAME",
        "TMPDIR", "PWD", "OLDPWD", "CDPATH", "GLOBIGNORE", "PROMPT_COMMAND",
    ]
    static let reservedPrefixes = [
        ("LD_", "read by the dynamic loader"), ("CUTOVER_", "set by Cutover for hooks"), ("SSH_", "set by sshd and read by ssh"),
    ]
}
