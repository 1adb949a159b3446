import Release

/// `cutover resume`: waves the interrupted deploy already verified are not run again.
///
/// A wave whose gates all passed (health, the `stable_for` hold, smoke, its bake's verdict)
/// is recorded in each of its hosts' journals when the lease is released
/// (`step=wave-verified release=R wave=N`). Resuming (the interrupted deploy's lease may be
/// gone: a Ctrl-C releases it), a host still on `R` with such an entry after its last switch
/// is adopted as switched by this deploy (a later failure rolls it back like the others)
/// without being activated, checked or baked again.
extension HostDeployment {
    /// The wave in which a deploy verified `release` on this host, when the host still runs it
    /// and nothing switched it since; nil otherwise.
    func verifiedEarlier(release: ReleaseID) -> Int? {
        state?.verifiedWave(of: release)
    }

    /// Takes the host as switched to `release` and verified, without touching it.
    func adoptVerified(release: ReleaseID, wave: Int) {
        run.adoptVerified(release: release, wave: wave)
        emit(.switch, .skipped, "already on \(release), verified in wave \(wave) before the deploy stopped: not run again")
    }

    /// Records that this host passed every gate of `wave` (written when the lease is released).
    func markVerified(wave: Int) {
        run.passed(wave: wave)
    }
}
