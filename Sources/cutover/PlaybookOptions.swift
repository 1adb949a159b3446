import ArgumentParser
import Console
import Ledger
import Rollout
import Transport

/// A playbook and the hosts to apply it to: what every release verb takes.
struct PlaybookTarget: ParsableArguments {
    @Argument(help: "A playbook file, or a name in Playbooks/.")
    var playbook: String

    @OptionGroup var fleet: FleetOptions

    /// The playbook's `app`, for the ledger (nil when it does not load: the verb says why),
    /// from the verb's one read of the playbook.
    var app: String? { PlaybookApp.name(playbook, snapshot: FleetOptions.playbookSnapshot) }

    /// How to call a verb again for this app, for hints in the summary (with the artifact
    /// when one was named, since `resume` needs it too). The selection, the ssh_config and the
    /// ledger given on the command line are kept; a ledger URL's password never is (libpq finds
    /// it in PGPASSWORD or ~/.pgpass). Every value is quoted for a POSIX shell where it needs it
    /// (a space, a quote, `$`…): ordinary paths print as typed.
    func command(_ verb: DeployStart.Operation, artifact: String? = nil, ledger: LedgerOption? = nil) -> RerunCommand {
        RerunCommand(
            verb: verb,
            target: "\(ShellQuote.quote(playbook)) -i \(ShellQuote.quote(fleet.inventory))"
                + (fleet.limit.map { " --limit \(ShellQuote.quote($0))" } ?? "")
                + (fleet.sshConfig.map { " --ssh-config \(ShellQuote.quote($0))" } ?? ""),
            ledger: ledger?.ledger.map { ShellQuote.quote(PostgresStore.withoutPassword($0)) },
            artifact: artifact.map(ShellQuote.quote))
    }
}

/// Which artifact and version to deploy, when not the playbook's.
struct ArtifactOptions: ParsableArguments {
    @Option(help: "The artifact (.tar or .tar.gz); overrides the playbook's `artifact`.")
    var artifact: String?

    @Option(help: "The version; overrides the playbook's and the one in the artifact's name.")
    var version: String?

    @Option(name: .customLong("release"), help: ArgumentHelp(
        "Deploy the artifact the playbook's artifact_store holds under this release id (2.0.0-3fa2c09be1d4) or sha256; its bytes must hash to it.",
        valueName: "id"))
    var storedRelease: String?

    func validate() throws {
        if storedRelease != nil && (artifact != nil || version != nil) {
            throw ValidationError("--release names the artifact and its version: leave out --artifact and --version")
        }
    }

    /// The store part of a request: `--release`, and `--store` when the verb has it.
    func storeUse(adding: Bool = false) -> ArtifactStoreUse {
        ArtifactStoreUse(release: storedRelease, add: adding)
    }
}

/// `--store` for deploy: keep the artifact in the playbook's `artifact_store`.
struct StoreOption: ParsableArguments {
    @Flag(help: "Also add the artifact (validated, under <version>-<sha256>) to the playbook's artifact_store, so later deploys (other environments) name it with --release.")
    var store = false
}

/// `--output text|json` for release verbs.
struct EventOutputOption: ParsableArguments {
    @Option(help: "text or json (JSON Lines events on stdout, as Schemas/events.schema.json describes).")
    var output: OutputFormat = .text
}

/// `--junit FILE` for verbs that gate on checks.
struct JUnitOption: ParsableArguments {
    @Option(help: "Write the deploy's gates (health, smoke, switch, rollback, canary KPIs) as a JUnit XML file.")
    var junit: String?

    /// `sink`, also feeding the JUnit report when one was asked for.
    func wrap(_ sink: @escaping DeployEventSink) -> DeployEventSink {
        guard let junit else { return sink }
        let report = JUnitReport(path: junit)
        return { event in
            report.record(event)
            sink(event)
        }
    }
}

/// `--report FILE` for deploy, resume and rollback.
struct ReportOption: ParsableArguments {
    @Option(help: ArgumentHelp("Write a self-contained HTML report (timeline, KPI charts, verdicts, per-host outcomes) when the run ends, also when it fails or rolls back.", valueName: "file"))
    var report: String?

    /// `sink`, also feeding the HTML report when one was asked for.
    func wrap(_ sink: @escaping DeployEventSink, command: RerunCommand) -> DeployEventSink {
        guard let report else { return sink }
        let html = HTMLReport(path: report, command: command)
        return { event in
            html.record(event)
            sink(event)
        }
    }
}

/// `--lock-wait` for verbs that take the deploy lease.
struct LockWaitOption: ParsableArguments {
    @Option(help: "How long to wait for another deploy's lease before giving up (exit 5): seconds, or e.g. 90s, 5m.")
    var lockWait = DurationArgument(.zero)

    var duration: Duration { lockWait.duration }
}

/// `--canary`, `--rolling`, `--all-at-once`, `--blue-green`: a strategy other than the playbook's.
/// One choice: two of them are a usage error (exit 64) that names both, as the parser words it
/// ("Value to be set with flag '--rolling' had already been set with flag '--canary'").
struct StrategyOption: ParsableArguments {
    @Flag(exclusivity: .exclusive)
    var strategy: StrategyChoice?
}
