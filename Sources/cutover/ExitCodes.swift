import ArgumentParser

extension Cutover {
    /// `cutover help exit-codes` (or `cutover exit-codes`): the stable exit codes.
    struct ExitCodes: ParsableCommand {
        static let table = """
              0  every selected host promoted / ok
              1  internal error
              2  some hosts failed or were unreachable (within the failure
                 budget); the rest succeeded
              3  rolled back: a gate failed (health, hook, smoke, KPI, abort),
                 the rollback completed and was verified
              4  not converged: a rollback or resume could not finish on some hosts
              5  lock held by another deploy (after --lock-wait)
              6  refused by the promotion policy: the ledger does not show the
                 artifact promoted (and soaked) in the environment the
                 playbook's `promotion:` names first; no host was touched
              7  nothing switched: the deploy failed before any host was
                 switched (push, migration, staging, an abort before the
                 first wave); every host still serves what it served before
             64  usage error
             65  configuration error (file:line:col diagnostics on stderr)
            130  interrupted; the fleet was left converged, `resume` or
                 `rollback` continues
            """

        static let configuration = CommandConfiguration(
            commandName: "exit-codes",
            abstract: "List Cutover's exit codes (stable; scripts and pipelines may rely on them).",
            discussion: table
        )

        func run() {
            print(Self.table)
        }
    }
}
