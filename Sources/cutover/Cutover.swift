import ArgumentParser
import Glibc

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

    /// ArgumentParser's `main`, after one reset: a SIGCHLD inherited as ignored (a parent that set
    /// `SIG_IGN` before exec) makes the kernel reap children at once, so waiting for a `Match exec`
    /// or `ProxyCommand` child fails with ECHILD.
    static func main() async {
        signal(SIGCHLD, SIG_DFL)
        do {
            var command = try parseAsRoot()
            if var asynchronous = command as? any AsyncParsableCommand {
                try await asynchronous.run()
            } else {
                try command.run()
            }
        } catch {
            exit(withError: error)
        }
    }
}
