import ArgumentParser
import Console
import Ledger
import Release
import Rollout

extension Cutover {
    struct Rollback: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Put every selected host back on the release before its current one (or --to RELEASE).",
            discussion: """
            Without --to, the target is the app's last known-good release in this environment: the \
            release the fleet ran before the most recent deploy (from the ledger's records of this \
            app and environment when it knows, else from each host's journal). Running it again once the fleet is there changes nothing and says so; \
            going further back takes --to, which accepts a release id or a version naming one \
            release on the hosts. Hosts go back in parallel, re-run on_rollback (or activate) and \
            the rollback policy's checks. Hosts that are down are reported and do not stop the \
            others. Exit 0 all back (or already there), 2 some unreachable, 4 some could not go \
            back, 5 lock held.
            """
        )

        @OptionGroup var target: PlaybookTarget

        @Option(name: .customLong("to"), help: "A release id (as `cutover status` shows) or a version naming one release on the hosts.")
        var release: String?

        @OptionGroup var lock: LockWaitOption
        @OptionGroup var events: EventOutputOption
        @OptionGroup var report: ReportOption
        @OptionGroup var ledger: LedgerOption
        @OptionGroup var confirmation: ConfirmOption

        func run() async throws {
            try await confirmation.confirm("rollback \(target.playbook)", settings: target.fleet.settings)
            let app = target.app
            let environment = try await EnvironmentResolution.resolve(target.fleet.settings)
            var request = RollbackRequest(connection: target.fleet.settings, playbook: target.playbook, target: release,
                                          lockWait: lock.duration)
            if release == nil, let found = await ledger.knownGoodTarget(app: app, environment: environment, hosts: FleetRollback.hostNames(target.fleet.settings)) {
                request.target = found.good.release
                request.ledgerCurrent = found.good.current
                request.targetReason = found.reason
            }
            let command = target.command(.rollback, ledger: ledger)
            let session = LedgerSession(.rollback, ledger: ledger, app: app, environment: environment)
            let notify = NotifySession(playbook: target.playbook, environment: environment)
            let sink = session.observing(notify.observing(report.wrap(EventRendering.deploySink(for: events.output, command: command), command: command)))
            try await ledger.holdingLease(app: app, environment: environment, wait: lock.duration) { remainingWait in
                var request = request
                request.lockWait = remainingWait
                try await ExitStatus.finishDeploy { [request] _ async throws(RolloutError) -> DeployReport in
                    let report = try await FleetRollback(request).run(events: sink)
                    await session.record(report)
                    await notify.finish()
                    return report
                }
            }
        }
    }

    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show per host the current and previous release, releases on disk, lock holder and last step.",
            discussion: """
            Read-only. Warns when the fleet runs mixed releases. With --output json, one object per \
            host: host, reachable, current, previous, releases, lock, last_step. Exit 0, or 2 when \
            some hosts are unreachable.
            """
        )

        @OptionGroup var target: PlaybookTarget
        @OptionGroup var events: EventOutputOption

        func run() async throws {
            try await EnvironmentResolution.check(target.fleet.settings)
            let request = PlaybookRequest(connection: target.fleet.settings, playbook: target.playbook)
            let sink = EventRendering.statusSink(for: events.output)
            try await ExitStatus.finishOperation { () async throws(RolloutError) -> DeployReport in
                try await FleetStatus(request).run(events: sink)
            }
        }
    }

    struct Unlock: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Break the deploy lease on every selected host; each host's journal records who did it."
        )

        @OptionGroup var target: PlaybookTarget
        @OptionGroup var events: EventOutputOption

        @Flag(help: "Also break a lease whose deploy still runs on this machine (its pid is alive).")
        var force = false
        @OptionGroup var confirmation: ConfirmOption

        func run() async throws {
            try await confirmation.confirm("unlock \(target.playbook)", settings: target.fleet.settings)
            let request = PlaybookRequest(connection: target.fleet.settings, playbook: target.playbook)
            let sink = EventRendering.deploySink(for: events.output, command: target.command(.unlock))
            try await ExitStatus.finishOperation { [force] () async throws(RolloutError) -> DeployReport in
                try await LeaseBreak(request, force: force).run(events: sink)
            }
        }
    }

    struct Resume: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Continue an interrupted deploy (the hosts' locks name it); same options as deploy.",
            discussion: """
            Hosts that already hold the release skip the upload; switching, activate and health run again. \
            An artifact other than the interrupted deploy's is refused (exit 64) before any host is touched; \
            without --artifact, the interrupted deploy's own is used: the file its lease names, else the \
            playbook's, whichever has the sha256 the lease recorded. \
            With no interrupted deploy (a deploy that ended with exit 2, say), it deploys the release \
            again under a new deploy id, which finishes the hosts that missed it. The promotion policy \
            is checked again, as for deploy. Exit codes as for deploy.
            """
        )

        @OptionGroup var target: PlaybookTarget
        @OptionGroup var release: ArtifactOptions
        @OptionGroup var delta: DeltaOption
        @OptionGroup var strategy: StrategyOption
        @OptionGroup var distribution: DistributionOption
        @OptionGroup var lock: LockWaitOption
        @OptionGroup var events: EventOutputOption
        @OptionGroup var junit: JUnitOption
        @OptionGroup var report: ReportOption
        @OptionGroup var ledger: LedgerOption
        @OptionGroup var confirmation: ConfirmOption
        @OptionGroup var promotion: PromotionOption

        func run() async throws {
            try await confirmation.confirm("resume \(target.playbook)", settings: target.fleet.settings)
            var prepared = DeployRequest(connection: target.fleet.settings, playbook: target.playbook,
                                         artifact: release.artifact, version: release.version,
                                         lockWait: lock.duration, strategy: strategy.strategy)
            prepared.store = release.storeUse()
            prepared.noDelta = delta.noDelta
            prepared.distribution = distribution.distribution
            let request = prepared
            let command = target.command(.deploy, artifact: release.artifact, ledger: ledger)
            let session = LedgerSession(.resume, ledger: ledger)
            let environment = try? await FleetEnvironment.resolve(target.fleet.settings)
            let notify = NotifySession(playbook: target.playbook, environment: environment)
            let sink = session.observing(notify.observing(report.wrap(junit.wrap(EventRendering.deploySink(for: events.output, command: command)), command: command)))
            let admission = promotion.admission(ledger: ledger)
            try await ledger.holdingLease(app: target.app, environment: environment, wait: lock.duration) { remainingWait in
                var request = request
                request.lockWait = remainingWait
                try await ExitStatus.finishDeploy { [request] stop async throws(RolloutError) -> DeployReport in
                    let report = try await DeployResume(request).run(events: sink, stop: stop, admission: admission)
                    await session.record(report)
                    await notify.finish()
                    return report
                }
            }
        }
    }
}

extension Cutover {
    struct Promote: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Let a paused canary go on (from any terminal or CI job).",
            discussion: "Writes the decision on every selected host held by the running deploy; exit 0 when it reached at least one."
        )

        @OptionGroup var target: PlaybookTarget
        @OptionGroup var events: EventOutputOption
        @OptionGroup var ledger: LedgerOption

        func run() async throws {
            try await PauseAnswerCommand.send(.promote, target: target, output: events.output, ledger: ledger)
        }
    }

    struct Abort: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Stop a running or paused deploy: it rolls back the hosts it switched.",
            discussion: """
            Writes the decision on every selected host held by the running deploy, which sees it \
            within about a second during a bake, a pause or a stable_for hold (else at its next \
            step) and rolls back what it switched; a deploy stopped before any switch exits 7. \
            SIGTERM to the deploy does the same. Exit 0 when it reached at least one host.
            """
        )

        @OptionGroup var target: PlaybookTarget
        @OptionGroup var events: EventOutputOption
        @OptionGroup var ledger: LedgerOption

        func run() async throws {
            try await PauseAnswerCommand.send(.abort, target: target, output: events.output, ledger: ledger)
        }
    }
}

/// What `promote` and `abort` share: the request, the renderer, the exit code.
enum PauseAnswerCommand {
    static func send(_ action: PauseAction, target: PlaybookTarget, output: OutputFormat, ledger: LedgerOption) async throws {
        let request = PlaybookRequest(connection: target.fleet.settings, playbook: target.playbook)
        let environment = try await EnvironmentResolution.resolve(target.fleet.settings)
        let session = LedgerSession(action == .promote ? .promote : .abort, ledger: ledger, app: target.app,
                                    environment: environment)
        let sink = session.observing(EventRendering.deploySink(for: output, command: target.command(action.operation)))
        try await ExitStatus.finishOperation { () async throws(RolloutError) -> DeployReport in
            let report = try await PauseAnswer(request, action: action).run(events: sink)
            // Only an answer that reached a paused deploy is worth a record.
            if report.outcome == .promoted { await session.record(report) }
            return report
        }
    }
}
