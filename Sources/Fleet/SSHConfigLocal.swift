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
    /// Runs a `Match exec` command (tokens expanded) and says how it ended.
    var exec: @Sendable (String) -> MatchExecOutcome

    /// The current process's view: `$HOME`, `$USER` (else the password database), `gethostname`,
    /// and `Match exec` through ``MatchExecProcess`` with its default time limit; an inventory load
    /// replaces it with its run's ``MatchExecRunner``.
    ///
    /// - Important: `Match exec` runs a command from the user's own ssh_config on the local
    ///   machine, exactly as `ssh` to that host would. Its `%h`, `%n`, `%r` may come from an
    ///   inventory: the loader refuses any address or user a shell would not read literally
    ///   (``ConnectionValue``), and ``SSHConfigTokens/shellWord(_:)`` quotes such a value should
    ///   one get here.
    static func current(home: String, user: String) -> SSHConfigLocal {
        var buffer = [CChar](repeating: 0, count: 256)
        let name = gethostname(&buffer, buffer.count) == 0
            ? String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self) : "localhost"
        return SSHConfigLocal(
            home: home, user: user, userID: getuid(), hostName: name,
            environment: ProcessInfo.processInfo.environment,
            exec: { MatchExecProcess.run($0, timeout: MatchExecRunner.defaultTimeout) })
    }

    /// First component of the local host name (`%L`).
    var shortHostName: String {
        String(hostName.prefix { $0 != "." })
    }
}
