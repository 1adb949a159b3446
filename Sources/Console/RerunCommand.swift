public import Rollout

/// How to call Cutover again for this app, built by the CLI from its own arguments, for the hints
/// a summary and a report give (`cutover rollback web -i prod …`). A value, so renderers pick the
/// verb and leave out the artifact or the ledger without parsing a command line back.
public struct RerunCommand: Sendable, Hashable {
    /// `deploy`, `rollback`, `promote`, … (`resume` and `plan` are called as `deploy`: their
    /// follow-ups are a deploy's).
    public var verb: DeployStart.Operation
    /// The playbook and the selection, ready for a shell: `web -i prod --limit 'zone=a' --ssh-config none`.
    public var target: String
    /// `--ledger`'s value, ready for a shell and without a password; nil: none was given.
    public var ledger: String?
    /// `--artifact`'s value, ready for a shell; nil: none was given.
    public var artifact: String?

    public init(verb: DeployStart.Operation, target: String, ledger: String? = nil, artifact: String? = nil) {
        self.verb = verb
        self.target = target
        self.ledger = ledger
        self.artifact = artifact
    }

    /// The same call for another verb: `artifact: false` for verbs that take none (rollback,
    /// promote), `ledger: false` for verbs that keep no ledger (status, unlock).
    public func with(verb: DeployStart.Operation, artifact keepsArtifact: Bool = true, ledger keepsLedger: Bool = true) -> RerunCommand {
        RerunCommand(verb: verb, target: target, ledger: keepsLedger ? ledger : nil, artifact: keepsArtifact ? artifact : nil)
    }

    /// The command line: the artifact comes last.
    public var text: String {
        "cutover \(verb.rawValue) \(target)" + (ledger.map { " --ledger \($0)" } ?? "") + (artifact.map { " --artifact \($0)" } ?? "")
    }
}
