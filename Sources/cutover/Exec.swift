import ArgumentParser
import Console
import Rollout

extension Cutover {
    struct Exec: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run a command on every selected host, in parallel.",
            discussion: """
            Text output prefixes each line with its host ('|' stdout, '!' stderr). With \
            --output json, one JSON object per host: host, address, status, exit_status, \
            signal, stdout, stderr, error (null on success), duration_ms. A line longer than \
            64 KiB is printed in pieces, each but the last ending in '[line cut at 64 KiB]'.
            Exit 0 when every host exited 0, 2 when any failed or was unreachable, 65 for \
            configuration errors.
            """
        )

        @OptionGroup var fleet: FleetOptions
        @OptionGroup var confirmation: ConfirmOption

        @Option(help: "How long a host's command may run before it is stopped: seconds, or e.g. 500ms, 2m (default: no limit).")
        var timeout: DurationArgument?

        @Option(help: "How long a host's command may print nothing before it is stopped and the host failed (default: 10m, none with --timeout).")
        var noProgressTimeout: DurationArgument?

        @Option(help: "text or json (JSON Lines, one object per host).")
        var output: OutputFormat = .text

        @Argument(parsing: .captureForPassthrough, help: "The command, after '--'.")
        var command: [String] = []

        func validate() throws {
            // With every option optional, a lone --help lands in the passthrough command.
            if let first = command.first, first == "--help" || first == "-h" { throw CleanExit.helpRequest(self) }
            if command.first == "--" { return }
            guard !command.isEmpty else { throw ValidationError("give the command after '--', e.g. cutover exec -i hosts.yml -- uptime") }
            if let timeout, timeout.duration <= .zero { throw ValidationError("--timeout must be longer than zero") }
            if let noProgressTimeout, noProgressTimeout.duration <= .zero { throw ValidationError("--no-progress-timeout must be longer than zero") }
        }

        func run() async throws {
            let words = command.first == "--" ? Array(command.dropFirst()) : command
            guard !words.isEmpty else { throw ValidationError("give the command after '--'") }
            try await confirmation.confirm("exec", settings: fleet.settings)
            let request = ExecRequest(
                connection: fleet.settings,
                command: words.joined(separator: " "),
                timeout: timeout?.duration,
                noProgressTimeout: noProgressTimeout?.duration,
                streamOutput: output == .text)
            let sink = EventRendering.sink(for: output, verb: "exec")
            try await ExitStatus.finish { () async throws(RolloutError) -> RunSummary in
                try await AdHocCommand(request).run(events: sink)
            }
        }
    }
}
