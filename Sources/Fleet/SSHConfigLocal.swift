import Foundation
import Glibc

/// What OpenSSH knows about the local side when it reads its configuration: the home directory
/// (`~`, `%d`), the local user (`%u`, `Match localuser`), the uid (`%i`), the local host name
/// (`%l`, `%L`), the environment (`${VAR}`), and how `Match exec` runs a command.
struct SSHConfigLocal: Sendable {
    var home: String
    var user: String
    var userID: UInt32
    var hostName: String
    var environment: [String: String]
    /// Runs a `Match exec` command; true when it exits 0.
    var exec: @Sendable (String) -> Bool

    /// The current process's view: `$HOME`, `$USER` (else the password database), `gethostname`,
    /// and `Match exec` through ``SSHConfigLocal/runShell(_:)``.
    static func current(home: String, user: String) -> SSHConfigLocal {
        var buffer = [CChar](repeating: 0, count: 256)
        let name = gethostname(&buffer, buffer.count) == 0
            ? String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self) : "localhost"
        return SSHConfigLocal(
            home: home, user: user, userID: getuid(), hostName: name,
            environment: ProcessInfo.processInfo.environment, exec: runShell)
    }

    /// `Match exec` as ssh runs it: `$SHELL -c COMMAND` (`/bin/sh` when `SHELL` is unset), stdin
    /// and stdout on `/dev/null`, stderr inherited; matches when the exit status is 0.
    ///
    /// - Important: this runs a command from the user's own ssh_config on the local machine, exactly
    ///   as `ssh` to that host would. Its `%h`, `%n`, `%r` may come from an inventory: the loader
    ///   refuses any address or user a shell would not read literally (``ConnectionValue``), and
    ///   ``SSHConfigTokens/shellWord(_:)`` quotes such a value should one get here.
    @Sendable static func runShell(_ command: String) -> Bool {
        let process = Process()
        let shell = ProcessInfo.processInfo.environment["SHELL"].flatMap { $0.isEmpty ? nil : $0 } ?? "/bin/sh"
        process.executableURL = URL(fileURLWithPath: shell)
        process.arguments = ["-c", command]
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            return false
        }
        process.waitUntilExit()
        return process.terminationReason == .exit && process.terminationStatus == 0
    }

    /// First component of the local host name (`%L`).
    var shortHostName: String {
        String(hostName.prefix { $0 != "." })
    }
}
