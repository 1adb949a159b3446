import Diagnostics

/// ssh_config lookups for one inventory load: each name resolved once (once with `Match exec`
/// allowed to run, once without), its diagnostics reported once (an unknown token, a
/// `StrictHostKeyChecking no` that applies to a host, a `Match exec` that ran out of time).
///
/// - Important: confined to the loading task, like its collector.
final class SSHConfigLookup {
    private let config: SSHConfig
    private let collector: DiagnosticCollector
    private var resolved: [Key: ConnectionSettings] = [:]

    private struct Key: Hashable {
        var name: String
        var runsCommands: Bool
    }
    private var reported: Set<String> = []

    init(config: SSHConfig, collector: DiagnosticCollector) {
        self.config = config
        self.collector = collector
    }

    /// `runsCommands`: whether `Match exec` may run for `name` (a host the run connects to).
    func settings(for name: String, runsCommands: Bool) -> ConnectionSettings {
        let key = Key(name: name, runsCommands: runsCommands)
        if let done = resolved[key] { return done }
        let resolution = SSHConfigResolution(config: config, host: name, runsCommands: runsCommands)
        var diagnostics = resolution.diagnostics
        if let warning = resolution.disabledHostKeyChecking { diagnostics.append(warning) }
        for diagnostic in diagnostics where reported.insert(diagnostic.rendered).inserted {
            collector.report(diagnostic)
        }
        resolved[key] = resolution.settings
        return resolution.settings
    }
}
