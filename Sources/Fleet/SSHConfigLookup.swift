import Diagnostics

/// ssh_config lookups for one inventory load: each name resolved once, its diagnostics reported
/// once (an unknown token, a `StrictHostKeyChecking no` that applies to a host).
///
/// - Important: confined to the loading task, like its collector.
final class SSHConfigLookup {
    private let config: SSHConfig
    private let collector: DiagnosticCollector
    private var resolved: [String: ConnectionSettings] = [:]
    private var reported: Set<String> = []

    init(config: SSHConfig, collector: DiagnosticCollector) {
        self.config = config
        self.collector = collector
    }

    func settings(for name: String) -> ConnectionSettings {
        if let done = resolved[name] { return done }
        let resolution = SSHConfigResolution(config: config, host: name)
        var diagnostics = resolution.diagnostics
        if let warning = resolution.disabledHostKeyChecking { diagnostics.append(warning) }
        for diagnostic in diagnostics where reported.insert(diagnostic.rendered).inserted {
            collector.report(diagnostic)
        }
        resolved[name] = resolution.settings
        return resolution.settings
    }
}
