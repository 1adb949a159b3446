import Diagnostics

/// A parsed OpenSSH client configuration.
struct SSHConfig: Sendable {
    func settings(for name: String) -> ConnectionSettings { ConnectionSettings() }
}

/// Parses ssh_config.
struct SSHConfigParser {
    var home: String
    var collector: DiagnosticCollector
    func parse(_ source: SourceText) -> SSHConfig { SSHConfig() }
}
