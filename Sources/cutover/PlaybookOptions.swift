import ArgumentParser
import Console

/// A playbook and the hosts to apply it to: what every release verb takes.
struct PlaybookTarget: ParsableArguments {
    @Argument(help: "A playbook file, or a name in Playbooks/.")
    var playbook: String

    @OptionGroup var fleet: FleetOptions

    /// How to call a verb again for this app, for hints in the summary.
    func command(_ verb: String) -> String {
        "cutover \(verb) \(playbook) -i \(fleet.inventory)"
    }
}

/// Which artifact and version to deploy, when not the playbook's.
struct ArtifactOptions: ParsableArguments {
    @Option(help: "The artifact (.tar or .tar.gz); overrides the playbook's `artifact`.")
    var artifact: String?

    @Option(help: "The version; overrides the playbook's and the one in the artifact's name.")
    var version: String?
}

/// `--output text|json` for release verbs.
struct EventOutputOption: ParsableArguments {
    @Option(help: "text or json (JSON Lines events on stdout).")
    var output: OutputFormat = .text
}

/// `--lock-wait` for verbs that take the deploy lease.
struct LockWaitOption: ParsableArguments {
    @Option(help: "Seconds to wait for another deploy's lease before giving up (exit 5).")
    var lockWait: Double = 0

    var duration: Duration { .milliseconds(Int64(lockWait * 1000)) }
}
