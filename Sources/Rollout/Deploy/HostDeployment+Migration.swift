import Release
import Transport

/// `hooks.migrate` on the one host chosen to run it (``MigrationPlacement``).
///
/// The migration runs in the new release's directory, with the hook environment and the
/// host's secrets, after the push and before any host is switched. When it succeeds, the same
/// round trip appends `step=migrate release=R` to the host's journal, so a `resume` of this
/// deploy (same deploy id) finds it and does not run it again, whichever host it would pick.
extension HostDeployment {
    /// Runs the migration; nil when it passed, else why not (the step was reported failed and
    /// the host marked failed: it is left unswitched like every other host).
    func migrate(_ migration: Migration, release: ReleaseID) async -> String? {
        guard let connection, let token = leaseToken else { return "not connected" }
        let environment = hookEnvironment(release: release, previous: state?.current)
        let body = scripts.hook(migration.command, in: release, environment: environment) + " && "
            + JournalEntry.appendCommand(deploy: scripts.deploy, step: .migrate, fields: ["release": release.description])
        let script = scripts.fenced(token: token, ttlSeconds: LeaseLife.seconds, body)
        let timeout = migration.timeout ?? playbook.timeouts.hook
        emit(.migrate, .started, "`\(Self.headline(migration.command))` once for the deploy, before any switch")
        do {
            let result = try await connection.run(script, timeout: timeout)
            guard result.exitStatus == 0 else {
                let reason = Self.output(result)
                fail(.migrate, reason)
                return reason
            }
        } catch {
            let reason = error.reason(about: name)
            fail(.migrate, reason, unreachable: error.isUnreachable)
            return reason
        }
        emit(.migrate, .ok)
        return nil
    }

    /// The journal entry of this deploy's migration of `release` on this host, when it ran here
    /// and passed (an earlier run of the deploy that `resume` continues).
    func migratedEarlier(release: ReleaseID) -> JournalEntry? {
        state?.migration(of: release, by: scripts.deploy)
    }

    /// The journal entry of this deploy switching (or staging) `release` on this host: proof
    /// that its migration passed, since a migration runs before any host switches. `resume`
    /// relies on it when the host that ran the migration does not answer.
    func switchedEarlier(release: ReleaseID) -> JournalEntry? {
        state?.switchEntry(to: release, by: scripts.deploy)
    }

    /// Reports the migration as done by an earlier run of this deploy, as this host's switch
    /// to the release shows (the host that ran it does not answer): not run again.
    func reportMigrationImplied(by entry: JournalEntry) {
        emit(.migrate, .skipped, "\(name) switched to the release at \(entry.time) in this deploy (\(entry.deploy)), after its migration passed: not run again")
    }

    /// Reports the migration as done by an earlier run of this deploy: not run again.
    func reportMigratedEarlier(_ entry: JournalEntry) {
        emit(.migrate, .skipped, "ran at \(entry.time) in this deploy (\(entry.deploy)) before it stopped: not run again")
    }
}
