/// The environment of a `run_on: local` smoke command: the runner's basics (`PATH`, `HOME`,
/// `LANG`, `LC_*`, `TZ`, `TMPDIR`), the runner's variables the smoke test names in `env:`, and
/// Cutover's own `CUTOVER_*` values for the host (release, host, deploy id, …). Nothing else
/// of the runner's gets through: a CI job's secrets (`AWS_SECRET_ACCESS_KEY`, tokens) and the
/// runner's own `CUTOVER_*` settings (`CUTOVER_LEDGER` may hold a password) stay out.
struct LocalEnvironment: Sendable, Hashable {
    /// The runner's variables every local command gets, when the runner has them.
    static let basics: Set<String> = ["PATH", "HOME", "LANG", "TZ", "TMPDIR"]
    /// `PATH` when the runner has none.
    static let defaultPath = "/usr/local/bin:/usr/bin:/bin"

    /// The variables, by name.
    var variables: [String: String]

    /// - Parameters:
    ///   - runner: the runner's environment.
    ///   - passing: names from the smoke test's `env:`.
    ///   - cutover: Cutover's `CUTOVER_*` values for the host (the hook environment).
    init(runner: [String: String], passing: [String], cutover: [String: String]) {
        var variables = runner.filter { Self.basics.contains($0.key) || $0.key.hasPrefix("LC_") }
        variables["PATH"] = variables["PATH"] ?? Self.defaultPath
        for name in passing {
            if let value = runner[name] { variables[name] = value }
        }
        variables.merge(cutover.filter { $0.key.hasPrefix("CUTOVER_") }) { $1 }
        self.variables = variables
    }
}
