import ArgumentParser
import Console
import Rollout

extension Cutover {
    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Validate the inventory and prove each selected host is reachable, trusted and accepts us.",
            discussion: "Connects to each host (host key, authentication) and runs 'true'. Exit codes as for exec."
        )

        @OptionGroup var fleet: FleetOptions

        @Option(help: "text or json (JSON Lines, one object per host).")
        var output: OutputFormat = .text

        func run() async throws {
            try await EnvironmentResolution.check(fleet.settings)
            let sink = EventRendering.sink(for: output, verb: "check")
            try await ExitStatus.finish { () async throws(RolloutError) -> RunSummary in
                try await ConnectivityCheck(CheckRequest(connection: fleet.settings)).run(events: sink)
            }
        }
    }
}
