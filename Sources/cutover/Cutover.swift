import ArgumentParser

/// The `cutover` command: parses arguments and hands a request to the engine, nothing more.
@main
struct Cutover: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cutover",
        abstract: "Agentless deployments to server fleets over SSH.",
        discussion: """
        Exit codes: 0 success, 1 internal error, 2 some hosts failed or were unreachable, \
        3 rolled back, 4 not converged, 5 lock held, 6 refused by the promotion policy, 7 nothing switched, 64 usage error, 65 configuration error, \
        130 interrupted (`cutover help exit-codes`).
        """,
        subcommands: [Deploy.self, Rollback.self, Status.self, Promote.self, Abort.self, Resume.self, Plan.self, Unlock.self, History.self, Metrics.self, Releases.self, Check.self, InventoryCommand.self, Exec.self, Upload.self, ExitCodes.self, Version.self]
    )
}
