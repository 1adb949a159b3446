/// A secret a host's commands receive as an environment variable, never on a command line.
///
/// The value travels on the command's stdin and the command's preamble reads it into a private
/// shell variable (``RemoteSecretPreamble``), so `ps` on the host shows only the variable's name.
/// It becomes an environment variable only for what runs through ``RemoteSecret/exporting``
/// (the user's hooks and checks), never for Cutover's own commands (`tar`, `mv`, `sha256sum`…).
public struct RemoteSecret: Sendable, Hashable, CustomStringConvertible {
    /// The environment variable's name on the host: `[A-Za-z_][A-Za-z0-9_]*`.
    public let name: String
    public let value: String

    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }

    /// Never the value: a secret interpolated by mistake prints as its name.
    public var description: String { "\(name)=[secret]" }

    /// A shell word, defined by every command's preamble, that runs the rest of its simple
    /// command with the connection's secrets exported, in a subshell: `cutover_with_secrets sh -c '…'`.
    /// Wrap the user's commands in it and nothing else.
    public static let exporting = "cutover_with_secrets"
}

/// The shell lines that read secrets from stdin, and the stdin that feeds them.
///
/// One line of base64 per secret (values may hold newlines or any byte); `read` and `printf`
/// are shell builtins and `base64 -d` takes the value on a pipe, so no process ever has a
/// value in its argv. The values land in unexported shell variables (`__cutover_secret_N`):
/// the script's own commands never see them. ``RemoteSecret/exporting`` (a shell function)
/// exports them under their names for one command, in a subshell; with `exportAll` they are
/// exported for the whole command instead (a command that is the user's own, `cutover exec`).
/// After the secrets, stdin is at end of file for the command itself.
enum RemoteSecretPreamble {
    static func script(_ secrets: [RemoteSecret], exportAll: Bool = false) -> String {
        var lines = ""
        var exports = ""
        for (index, secret) in secrets.enumerated() {
            let slot = "__cutover_secret_\(index)"
            lines += "IFS= read -r \(slot) || true; \(slot)=$(printf '%s' \"$\(slot)\" | base64 -d; echo .); \(slot)=${\(slot)%.}\n"
            exports += "\(secret.name)=$\(slot); export \(secret.name); "
        }
        if exportAll { lines += exports + "\n" }
        lines += "\(RemoteSecret.exporting)() { (\(exports)exec \"$@\"); }\n"
        return lines
    }

    static func input(_ secrets: [RemoteSecret]) -> [UInt8] {
        secrets.flatMap { Array(Base64.encode(Array($0.value.utf8)).utf8) + [UInt8(ascii: "\n")] }
    }
}

/// Standard base64 (RFC 4648), for the secrets' stdin lines.
enum Base64 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    static func encode(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        var index = 0
        while index < bytes.count {
            let b0 = bytes[index]
            let b1 = index + 1 < bytes.count ? bytes[index + 1] : 0
            let b2 = index + 2 < bytes.count ? bytes[index + 2] : 0
            out.append(alphabet[Int(b0 >> 2)])
            out.append(alphabet[Int((b0 & 0x03) << 4 | b1 >> 4)])
            out.append(index + 1 < bytes.count ? alphabet[Int((b1 & 0x0F) << 2 | b2 >> 6)] : UInt8(ascii: "="))
            out.append(index + 2 < bytes.count ? alphabet[Int(b2 & 0x3F)] : UInt8(ascii: "="))
            index += 3
        }
        return String(decoding: out, as: UTF8.self)
    }
}
