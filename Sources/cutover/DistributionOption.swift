import ArgumentParser
import Rollout

/// `--distribution relay|pull|direct` for deploy and resume: how the artifact reaches the hosts.
struct DistributionOption: ParsableArguments {
    @Option(help: ArgumentHelp(
        "How the artifact reaches the hosts, overriding the playbook's `distribution`: direct (the runner pushes it over SSH), "
            + "pull (each host downloads it from the playbook's artifact_store.url with curl or wget and checks its sha256; "
            + "a host that cannot is pushed to), or relay (the runner pushes it to a few hosts, which pass it on to the others "
            + "over SSH with a key that lives only for the deploy; a host that cannot get it from its source is pushed to).",
        valueName: "mode"))
    var distribution: DistributionChoice?
}
