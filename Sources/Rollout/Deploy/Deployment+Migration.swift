import Release

/// The migration phase of a deploy: after the push, before blue/green staging and the first
/// wave. Nothing that serves traffic has changed yet, so a failure ends the deploy with
/// nothing switched.
extension Deployment {
    /// Runs `hooks.migrate` once, on the first candidate host that is ready, unless an earlier
    /// run of this deploy (the one `resume` continues) journaled it, or a switch, on any host. Nil when it
    /// passed or was done already; else the deploy's reason for ending with nothing switched.
    static func migrate<Worker: HostWorker>(_ migration: Migration, placement: MigrationPlacement, workers: [Worker],
                        release: ReleaseID) async -> String? {
        for worker in workers {
            if let entry = await worker.migratedEarlier(release: release) {
                await worker.reportMigratedEarlier(entry)
                return nil
            }
        }
        // The host that ran it may be down; any host this deploy already switched proves it passed.
        for worker in workers {
            if let entry = await worker.switchedEarlier(release: release) {
                await worker.reportMigrationImplied(by: entry)
                return nil
            }
        }
        let byName = Dictionary(uniqueKeysWithValues: workers.map { ($0.name, $0) })
        var host: Worker?
        for name in placement.candidates {
            if let worker = byName[name], await worker.healthy {
                host = worker
                break
            }
        }
        guard let host else {
            return "the migration did not run: none of its hosts (\(placement.chosenBy): \(placement.candidates.joined(separator: ", "))) "
                + "got the release; nothing was switched"
        }
        guard let failure = await host.migrate(migration, release: release) else { return nil }
        return "migration failed on \(host.name) (`\(HostDeployment.headline(migration.command))`): \(failure); nothing was switched"
    }
}
