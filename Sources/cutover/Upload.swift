import ArgumentParser
import Console
import Rollout

extension Cutover {
    struct Upload: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Copy one local file to the same path on every selected host, verified by sha256.",
            discussion: """
            The file is streamed to a temporary file beside REMOTE_PATH while its sha256 is \
            computed; the host hashes what it received, and only a matching file is renamed to \
            REMOTE_PATH. Missing directories are created. Exit codes as for exec.
            """
        )

        @OptionGroup var fleet: FleetOptions
        @OptionGroup var confirmation: ConfirmOption

        @Option(help: "Seconds a host's upload may take (default: no limit).")
        var timeout: Double?

        @Option(help: "Permission bits on the hosts, in octal (e.g. 0755); default: the local file's, less group and other write.")
        var mode: String?

        @Option(help: "How long a host may accept no byte before its upload is stopped and the host failed: seconds, or e.g. 500ms, 2m.")
        var noProgressTimeout: DurationArgument = DurationArgument(UploadRequest.defaultNoProgressTimeout)

        @Option(help: "text or json (JSON Lines, one object per host).")
        var output: OutputFormat = .text

        @Argument(help: "The local file.")
        var localPath: String

        @Argument(help: "The absolute path on the hosts.")
        var remotePath: String

        func validate() throws {
            if let mode, Int(mode, radix: 8).map({ (0...0o7777).contains($0) }) != true {
                throw ValidationError("--mode takes octal permission bits such as 0644 or 755, not '\(mode)'")
            }
            if noProgressTimeout.duration <= .zero { throw ValidationError("--no-progress-timeout must be longer than zero") }
        }

        func run() async throws {
            try await confirmation.confirm("upload", settings: fleet.settings)
            let request = UploadRequest(
                connection: fleet.settings, localPath: localPath, remotePath: remotePath,
                timeout: timeout.map { .milliseconds(Int64($0 * 1000)) }, mode: mode.flatMap { Int($0, radix: 8) },
                noProgressTimeout: noProgressTimeout.duration)
            let sink = EventRendering.sink(for: output, verb: "upload")
            try await ExitStatus.finish { () async throws(RolloutError) -> RunSummary in
                try await FileDistribution(request).run(events: sink)
            }
        }
    }
}
