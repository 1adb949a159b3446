import Foundation
import Release
import Transport

/// Command health checks run on the host in the round trip of the switch (or rollback) before
/// them, right after its hook: one round trip for switch, hook and checks. Each check's first
/// attempt runs there, in order, until one fails; a marker line after each says how it ended,
/// so ``HostDeployment`` reports every check as its own event and retries a failed one from
/// the runner as a separate check would be. Only for lists of command checks (HTTP and TCP
/// checks run from the runner and cost no round trip) outside blue/green slots.
///
/// The markers carry a random word made for this script, so no output of a check can pass
/// for one.
struct InlineChecks: Sendable {
    /// A check's first attempt, as the host ran it.
    struct Attempt: Sendable, Hashable {
        let status: Int32
        /// The last line the check printed (stdout and stderr together).
        let lastLine: String
    }

    let tag: String
    /// Each check with its rendered command.
    let commands: [(check: HealthCheck, command: String)]

    /// Nil when a check is not a command check, cannot be rendered for this host, or is about a
    /// blue/green slot: those checks run as before, one round trip each.
    init?(_ checks: [HealthCheck], values: TemplateValues) {
        guard !checks.isEmpty, values.slot == nil else { return nil }
        var commands: [(HealthCheck, String)] = []
        for check in checks {
            guard case .command(let template) = check.kind,
                  let command = try? template.render(values, escaping: ShellQuote.quote) else { return nil }
            commands.append((check, command))
        }
        self.commands = commands
        tag = ScriptTag().text
    }

    /// The line printed when the hook before has passed and the checks start.
    var startMarker: String { "@\(tag) checks" }

    /// The time the round trip may take on top of the switch and its hook: every check's timeout.
    var timeout: Duration { commands.reduce(Duration.seconds(2)) { $0 + $1.check.timeout + .seconds(2) } }

    /// The line printed when every check passed and `then` ran to its end.
    var finishedMarker: String { "@\(tag) finished" }

    /// Appended to a switch-then-hook script (which runs `set -e`): each check in the current
    /// release with the host's secrets, bounded by its timeout (coreutils `timeout`), its
    /// output and a marker line `@TAG N STATUS`; the first failure ends the list. When every
    /// check passed, `then` runs (the end of a run on this host: journal, lease), followed by
    /// ``finishedMarker`` when it succeeded. The script exits 0: the switch and its hook
    /// passed, the markers tell about the rest.
    /// `environment`: the `CUTOVER_*` values every check gets (its step's hooks' own).
    func script(then: String? = nil, environment: [String: String] = [:]) -> String {
        // Markers start on a line of their own even after output without a final newline.
        var script = DirectCommand.probe + "set +e\nprintf '\\n%s\\n' \(ShellQuote.quote(startMarker))\nco_c=0\n"
        for (index, entry) in commands.enumerated() {
            let seconds = String(format: "%.3f", Double(entry.check.timeout.components.seconds) + Double(entry.check.timeout.components.attoseconds) / 1e18)
            script += """
            if [ $co_c -eq 0 ]; then
              if cd "$R/current"; then { \(RemoteScripts.launch(entry.command, environment: environment, through: "timeout -k 1 \(seconds) ")); } </dev/null 2>&1; co_c=$?; cd /; else co_c=1; fi
              printf '\\n@%s %s %s\\n' \(tag) \(index) "$co_c"
            fi

            """
        }
        if let then {
            script += "if [ $co_c -eq 0 ] && {\n\(then)\n}; then printf '\\n%s\\n' \(ShellQuote.quote(finishedMarker)); fi\n"
        }
        return script + "exit 0\n"
    }

    /// Whether `then` ran to its end on the host (every check passed first).
    func finished(_ stdout: String) -> Bool {
        Self.lines(stdout).contains(finishedMarker)
    }

    /// Whether the checks started on the host (the switch and its hook passed).
    func started(_ stdout: String) -> Bool {
        Self.lines(stdout).contains(startMarker)
    }

    /// The first attempts the host reported, in order: as many as ran (the list stops at the
    /// first failure; fewer when the round trip was cut short).
    func attempts(_ stdout: String) -> [Attempt] {
        let lines = Self.lines(stdout)
        guard let start = lines.firstIndex(of: startMarker) else { return [] }
        var attempts: [Attempt] = []
        var output: [String] = []
        for line in lines[(start + 1)...] {
            let fields = line.split(separator: " ", omittingEmptySubsequences: false)
            if fields.count == 3, fields[0] == "@" + tag, Int(fields[1]) == attempts.count, let status = Int32(fields[2]) {
                attempts.append(Attempt(status: status, lastLine: output.last ?? ""))
                output = []
            } else {
                let text = line.trimmingCharacters(in: .whitespacesAndNewlines)
                if !text.isEmpty { output.append(text) }
            }
        }
        return attempts
    }

    /// Lines split on the newline byte: Swift's `"\r\n"` is one Character, so a check printing
    /// a carriage return before a newline would hide the marker after it from a Character split.
    static func lines(_ text: String) -> [String] {
        text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
    }

    /// Nil when the attempt passed, else why not, worded like ``HealthProbe``'s.
    func failure(_ attempt: Attempt, of index: Int) -> String? {
        guard attempt.status != 0 else { return nil }
        let entry = commands[index]
        if TimeoutExit(attempt.status) != nil {
            return "`\(entry.command)` did not finish within \(SecondsText.describe(entry.check.timeout))"
        }
        return "`\(entry.command)` ended with exit \(attempt.status)\(attempt.lastLine.isEmpty ? "" : ": \(attempt.lastLine)")"
    }
}
