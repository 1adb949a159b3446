import ArgumentParser
import Console
import Diagnostics
import Foundation
import Ledger

extension Cutover {
    struct History: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the releases the ledger recorded (deploys, resumes, rollbacks, promotes, aborts), newest first.",
            discussion: """
            Each record: when it finished, app, environment, verb, outcome, release, hosts, duration, \
            deploy id and who ran it (user@machine, CI job), and who overrode the promotion policy \
            and why. With --output json, one object per line with every field: hosts and their final \
            states, artifact sha256 and build time, gate and rollback times. Records written before \
            Cutover recorded environments are in environment 'default'.
            """
        )

        @Argument(help: "An app (a playbook's `app`); every app when omitted.")
        var app: String?

        @Option(help: ArgumentHelp("Only records of this environment (as the inventory or --environment named it).", valueName: "name"))
        var environment: String?

        @Option(help: "Only records since then: a duration back from now (90m, 12h, 7d, 2w) or a date (2026-11-01).")
        var since: String?

        @Option(help: "At most this many records.")
        var limit: Int = 50

        @Option(help: "text or json (JSON Lines, one record per line).")
        var output: OutputFormat = .text

        @OptionGroup var ledger: LedgerOption

        func validate() throws {
            guard limit >= 1 else { throw ValidationError("--limit must be at least 1") }
            if let since { do { _ = try SinceArgument.parse(since) } catch { throw ValidationError(error.message) } }
            if let environment, !EnvironmentName.isValid(environment) { throw ValidationError("--environment: " + EnvironmentName.invalidMessage(environment)) }
        }

        func run() async throws {
            let query = LedgerQuery(app: app, environment: environment,
                                    since: try since.map { text throws(LedgerError) in try SinceArgument.parse(text) }, limit: limit)
            let records = try await LedgerReading.records(query, ledger: ledger)
            let lines = output == .json ? HistoryRenderer.json(records).map(JSONLine.escapingControls) : HistoryRenderer.text(records)
            TerminalOutput().out(lines.joined(separator: "\n"))
        }
    }

    struct Metrics: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "DORA metrics from the ledger: deployment frequency, lead time, change failure rate, time to restore.",
            discussion: """
            Deployment frequency counts promoted deploys; lead time runs from the artifact's build \
            time (its .cutover-build file, else its newest file time) to promotion; the change \
            failure rate is the share of deploys rolled back (automatically, or by a later \
            `cutover rollback`) or not converged; time to restore runs from the first failed gate to \
            the verified rollback. Medians, over the window. Measure one environment with \
            --environment (production's deploys are the changes DORA means); without it every \
            environment's deploys count, each rollback undoing only its own environment's.
            """
        )

        @Argument(help: "An app (a playbook's `app`); every app when omitted.")
        var app: String?

        @Option(help: ArgumentHelp("Only this environment's records (every environment when omitted).", valueName: "name"))
        var environment: String?

        @Option(help: "The window: a duration back from now (90m, 12h, 7d, 2w) or a date (2026-11-01).")
        var since: String = "30d"

        @Option(help: "text or json (one object).")
        var output: OutputFormat = .text

        @OptionGroup var ledger: LedgerOption

        func validate() throws {
            do { _ = try SinceArgument.parse(since) } catch { throw ValidationError(error.message) }
            if let environment, !EnvironmentName.isValid(environment) { throw ValidationError("--environment: " + EnvironmentName.invalidMessage(environment)) }
        }

        func run() async throws {
            let now = Date()
            let start = try SinceArgument.parse(since, now: now)
            let records = try await LedgerReading.records(LedgerQuery(app: app, environment: environment, since: start), ledger: ledger)
            let metrics = DORAMetrics(records: records, app: app, environment: environment, from: start, to: now)
            TerminalOutput().out(output == .json ? MetricsRenderer.json(metrics) : MetricsRenderer.text(metrics).joined(separator: "\n"))
        }
    }
}

/// Reads records for `history` and `metrics`; a ledger that is off or unreadable is an error.
enum LedgerReading {
    static func records(_ query: LedgerQuery, ledger: LedgerOption) async throws -> [LedgerRecord] {
        let location = try ledger.location()
        guard let store = location.open(forWriting: false) else {
            TerminalOutput().err("the ledger is off (--ledger none or CUTOVER_LEDGER=none)")
            throw ExitCode(ExitStatus.usage)
        }
        do {
            let records = try await store.records(query)
            await store.close()
            return records
        } catch {
            await store.close()
            TerminalOutput().err("cannot read the ledger \(location): \(error.message)")
            throw ExitCode.failure
        }
    }
}
