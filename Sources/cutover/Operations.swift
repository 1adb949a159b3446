import ArgumentParser
import Console
import Rollout

extension Cutover {
    struct Rollback: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Put every selected host back on the release before its current one (or --to RELEASE).",
            discussion: """
            Each host's journal says which release it ran before; hosts go back in parallel, re-run \
            on_rollback (or activate) and the rollback policy's checks. Hosts that are down are \
            reported and do not stop the others. Exit 0 all back, 2 some unreachable, 4 some could \
            not go back, 5 lock held.
            """
        )

        @Argument(help: "A playbook file, or a name in Playbooks/.")
        var playbook: String

        @OptionGroup var fleet: FleetOptions

        @Option(name: .customLong("to"), help: "A release id to go to on every host (as `cutover status` shows).")
        var target: String?

        @Option(help: "Seconds to wait for another deploy's lease before giving up (exit 5).")
        var lockWait: Double = 0

        @Option(help: "text or json (JSON Lines events).")
        var output: OutputFormat = .text

        func run() async throws {
            let request = RollbackRequest(connection: fleet.settings, playbook: playbook, target: target,
                                          lockWait: .milliseconds(Int64(lockWait * 1000)))
            let sink = EventRendering.deploySink(for: output, command: "cutover rollback \(playbook) -i \(fleet.inventory)")
            try await ExitStatus.finishDeploy { _ async throws(RolloutError) -> DeployReport in
                try await FleetRollback(request).run(events: sink)
            }
        }
    }

    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show per host the current and previous release, releases on disk, lock holder and last step.",
            discussion: "Read-only. Warns when the fleet runs mixed releases. Exit 0, or 2 when some hosts are unreachable."
        )

        @Argument(help: "A playbook file, or a name in Playbooks/.")
        var playbook: String

        @OptionGroup var fleet: FleetOptions

        @Option(help: "text or json (one object per host: host, reachable, current, previous, releases, lock, last_step).")
        var output: OutputFormat = .text

        func run() async throws {
            let request = PlaybookRequest(connection: fleet.settings, playbook: playbook)
            let sink = EventRendering.statusSink(for: output)
            try await ExitStatus.finishDeploy { _ async throws(RolloutError) -> DeployReport in
                try await FleetStatus(request).run(events: sink)
            }
        }
    }

    struct Unlock: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Break the deploy lease on every selected host; each host's journal records who did it."
        )

        @Argument(help: "A playbook file, or a name in Playbooks/.")
        var playbook: String

        @OptionGroup var fleet: FleetOptions

        @Option(help: "text or json.")
        var output: OutputFormat = .text

        func run() async throws {
            let request = PlaybookRequest(connection: fleet.settings, playbook: playbook)
            let sink = EventRendering.deploySink(for: output, command: "cutover unlock \(playbook) -i \(fleet.inventory)")
            try await ExitStatus.finishDeploy { _ async throws(RolloutError) -> DeployReport in
                try await LeaseBreak(request).run(events: sink)
            }
        }
    }

    struct Resume: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Continue an interrupted deploy (the hosts' locks name it); same options as deploy.",
            discussion: "Hosts that already hold the release skip the upload; switching, activate and health run again. Exit codes as for deploy."
        )

        @Argument(help: "A playbook file, or a name in Playbooks/.")
        var playbook: String

        @OptionGroup var fleet: FleetOptions

        @Option(help: "The artifact; overrides the playbook's `artifact`.")
        var artifact: String?

        @Option(help: "The version; overrides the playbook's and the one in the artifact's name.")
        var version: String?

        @Option(help: "text or json (JSON Lines events).")
        var output: OutputFormat = .text

        func run() async throws {
            let request = DeployRequest(connection: fleet.settings, playbook: playbook, artifact: artifact, version: version)
            let sink = EventRendering.deploySink(for: output, command: "cutover deploy \(playbook) -i \(fleet.inventory)")
            try await ExitStatus.finishDeploy { stop async throws(RolloutError) -> DeployReport in
                try await DeployResume(request).run(events: sink, stop: stop)
            }
        }
    }
}
