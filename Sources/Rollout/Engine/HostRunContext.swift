import Release

/// What every step of one host's part in a run shares, given once when its worker is made: the
/// playbook, the run's deploy id (the lease's owner, the journal's key, `CUTOVER_DEPLOY_ID`) and
/// the rollback policy. The engine asks a worker for a phase with only what differs per call
/// (the release, a hold, a rollback target).
struct HostRunContext: Sendable {
    let playbook: Playbook
    let deployID: String
    let policy: RollbackPolicy
}
