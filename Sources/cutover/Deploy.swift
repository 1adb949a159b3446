import ArgumentParser
import Console
import Rollout

extension Cutover {
    struct Deploy: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Deploy an artifact to every selected host, in waves, with health checks and automatic rollback.",
            discussion: """
            The artifact is validated and hashed locally first; then every host gets it (hosts that \
            already hold the release skip the upload), and `current` is switched wave by wave. \
            Exit codes: 0 promoted everywhere, 2 some hosts failed within the failure budget, \
            3 rolled back, 4 not converged, 5 lock held, 65 configuration error, 130 interrupted.
            """
        )

        @Argument(help: "A playbook file, or a name in Playbooks/.")
        var playbook: String

        @OptionGroup var fleet: FleetOptions

        @Option(help: "The artifact (.tar or .tar.gz); overrides the playbook's `artifact`.")
        var artifact: String?

        @Option(help: "The version; overrides the playbook's and the one in the artifact's name.")
        var version: String?

        @Option(help: "Seconds to wait for another deploy's lease before giving up (exit 5).")
        var lockWait: Double = 0

        @Option(help: "text or json (JSON Lines events).")
        var output: OutputFormat = .text

        @Flag(help: "Canary ramp: 1 host (the `canary` group or spread across zones), 10%, 50%, 100%, each wave gated by the health checks.")
        var canary = false

        @Flag(help: "Rolling waves (the playbook's batch, else one host at a time).")
        var rolling = false

        @Flag(help: "Every host in one wave.")
        var allAtOnce = false

        func validate() throws {
            if [canary, rolling, allAtOnce].filter({ $0 }).count > 1 {
                throw ValidationError("choose one of --canary, --rolling, --all-at-once")
            }
        }

        var strategy: StrategyChoice? {
            canary ? .canary : rolling ? .rolling : allAtOnce ? .allAtOnce : nil
        }

        func run() async throws {
            let request = DeployRequest(
                connection: fleet.settings, playbook: playbook, artifact: artifact, version: version,
                lockWait: .milliseconds(Int64(lockWait * 1000)), strategy: strategy)
            let sink = EventRendering.deploySink(for: output, command: "cutover deploy \(playbook) -i \(fleet.inventory)")
            try await ExitStatus.finishDeploy { stop async throws(RolloutError) -> DeployReport in
                try await Deployment(request).run(events: sink, stop: stop)
            }
        }
    }

    struct Plan: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the waves and steps of a deploy without touching any host."
        )

        @Argument(help: "A playbook file, or a name in Playbooks/.")
        var playbook: String

        @OptionGroup var fleet: FleetOptions

        @Option(help: "The artifact (.tar or .tar.gz); overrides the playbook's `artifact`.")
        var artifact: String?

        @Option(help: "The version; overrides the playbook's and the one in the artifact's name.")
        var version: String?

        @Option(help: "text or json.")
        var output: OutputFormat = .text

        func run() async throws {
            let request = DeployRequest(connection: fleet.settings, playbook: playbook, artifact: artifact, version: version)
            let sink = EventRendering.deploySink(for: output, command: "cutover deploy \(playbook) -i \(fleet.inventory)")
            do {
                sink(.planned(try Deployment(request).plan()))
            } catch {
                TerminalOutput().err(error.description)
                throw ExitCode(error.exitCode)
            }
        }
    }
}
