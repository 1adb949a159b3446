import ArgumentParser
import Console
import Diagnostics
import Ledger

extension Cutover {
    struct Releases: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show per environment the release each host runs, since when, and which releases the next environment would accept.",
            discussion: """
            Read from the ledger (no host is contacted): each environment's fleet summary \
            ("2 on 2.0.0-…, 1 on 1.9.0-…"), each host's release as the ledger last saw it and when it \
            landed there, and, from the playbook's `promotion:` policy, the releases promoted in an \
            environment that the next one would accept now (and those still soaking). Given an app \
            name instead of a playbook, no eligibility is shown. With --output json, one object.
            """
        )

        @Argument(help: "A playbook (a file, or a name in Playbooks/): its app and promotion policy; or an app name.")
        var playbook: String

        @Option(help: "text or json (one object).")
        var output: OutputFormat = .text

        @OptionGroup var ledger: LedgerOption

        func run() async throws {
            let target: ReleasesTarget
            do {
                target = try ReleasesTarget.resolve(playbook)
            } catch {
                TerminalOutput().err(error.description)
                throw ExitCode(ExitStatus.configuration)
            }
            let records = try await LedgerReading.records(LedgerQuery(app: target.app), ledger: ledger)
            let releases = FleetReleases(records: records, target: target)
            TerminalOutput().out(output == .json ? ReleasesRenderer.json(releases) : ReleasesRenderer.text(releases).joined(separator: "\n"))
        }
    }
}
