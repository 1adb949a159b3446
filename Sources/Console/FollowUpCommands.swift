public import Rollout

/// What to run after a deploy: the exact command that undoes it or continues it, and the
/// `--limit` that leaves unreachable hosts out. The summary and the HTML report say the same.
public struct FollowUpCommands: Sendable, Hashable {
    /// `cutover rollback …`, when something was switched and may be undone.
    public var undo: String?
    /// `cutover resume …`, when the deploy did not finish and some hosts were switched.
    public var finish: String?
    /// `cutover resume …`, when the deploy did not finish and nothing was switched.
    public var retry: String?
    /// Hosts that could not be reached, and the `--limit` that goes on without them.
    public var unreachable: [String]
    public var limitWithoutUnreachable: String?
    /// `cutover status …`, to check the hosts after a rollback.
    public var status: String?
    /// `cutover unlock …`, when another deploy holds the lease (and may be dead).
    public var unlock: String?
    /// `cutover deploy … --artifact FIXED`, when a failed first deploy left hosts with no
    /// earlier release: resume would retry the broken release and rollback has nowhere to go.
    public var deployFixed: String?

    /// - Parameter command: how this deploy was called (`cutover deploy web -i prod [--artifact F]`);
    ///   only deploys (and resumes, which are deploys) get commands.
    public init(command: RerunCommand, report: DeployReport) {
        unreachable = report.hosts.filter { $0.state == .unreachable }.map(\.host)
        guard command.verb == .deploy else { return }
        // rollback takes no artifact; resume needs the same one as the deploy.
        let rollback = command.with(verb: .rollback, artifact: false).text
        let resume = command.with(verb: .resume).text
        let changed = report.hosts.contains { [.promoted, .rolledBack, .failed, .rollbackFailed].contains($0.state) }
        switch report.outcome {
        case .promoted:
            undo = rollback
        case .partial, .notConverged, .interrupted, .notSwitched:
            if !report.withoutEarlierRelease.isEmpty {
                var fixed = command
                fixed.artifact = "FIXED-ARTIFACT"
                deployFixed = fixed.text
            } else if changed {
                finish = resume
                undo = rollback
            } else {
                retry = resume
            }
            if !unreachable.isEmpty {
                limitWithoutUnreachable = "--limit '\(unreachable.map { "!" + $0 }.joined(separator: "&"))'"
            }
        case .rolledBack:
            // status and unlock keep no ledger.
            status = command.with(verb: .status, artifact: false, ledger: false).text
        case .lockHeld:
            unlock = command.with(verb: .unlock, artifact: false, ledger: false).text
        case .refused:
            break  // nothing was touched; the reason names the environment to pass first
        }
    }
}
