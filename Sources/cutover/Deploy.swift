import ArgumentParser
import Console
import Foundation
import Ledger
import Rollout

extension Cutover {
    struct Deploy: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Deploy an artifact to every selected host, in waves, with health checks and automatic rollback.",
            discussion: """
            The artifact is validated and hashed locally first; then every host gets it (hosts that \
            already hold the release skip the upload; a host holding an earlier release gets only \
            the changed files and builds the release from its older one, verified against the \
            artifact's manifest, or the whole artifact when that fails or with --no-delta), and \
            `current` is switched wave by wave. \
            On a terminal a live view shows each host's step and an overall progress bar; with \
            NO_COLOR, TERM=dumb or a pipe, one timestamped line per step. \
            When the playbook's `promotion:` names an environment this one takes artifacts from, \
            the ledger must show this artifact promoted there first (and soaked, when asked), \
            or the deploy stops before touching any host (exit 6; --override-promotion REASON \
            goes on and records who and why). \
            Exit codes: 0 promoted everywhere, 2 some hosts failed within the failure budget, \
            3 rolled back, 4 not converged, 5 lock held, 6 refused by the promotion policy, \
            65 configuration error, 130 interrupted.
            """
        )

        @OptionGroup var target: PlaybookTarget
        @OptionGroup var release: ArtifactOptions
        @OptionGroup var store: StoreOption
        @OptionGroup var delta: DeltaOption
        @OptionGroup var distribution: DistributionOption
        @OptionGroup var lock: LockWaitOption
        @OptionGroup var events: EventOutputOption

        @OptionGroup var strategy: StrategyOption
        @OptionGroup var junit: JUnitOption
        @OptionGroup var report: ReportOption
        @OptionGroup var ledger: LedgerOption
        @OptionGroup var confirmation: ConfirmOption
        @OptionGroup var promotion: PromotionOption

        func run() async throws {
            var prepared = DeployRequest(
                connection: target.fleet.settings, playbook: target.playbook, artifact: release.artifact,
                version: release.version, lockWait: lock.duration, strategy: strategy.strategy)
            prepared.store = release.storeUse(adding: store.store)
            prepared.noDelta = delta.noDelta
            prepared.distribution = distribution.distribution
            let request = prepared
            // One Deployment for the confirmation's plan and the run: files read and the artifact
            // hashed once.
            let deployment = Deployment(request)
            let policy = promotion.admission(ledger: ledger)
            // A deploy the promotion policy refuses touches no host: it is refused before anyone is
            // asked to confirm production, with that same answer (not a second look at the ledger).
            let admission: PromotionAdmission
            if await confirmation.wouldAsk(settings: target.fleet.settings), let plan = try? await deployment.plan(),
               let check = await policy(plan), check.decision == .refused {
                admission = { _ in check }
            } else {
                try await confirm()
                admission = policy
            }
            let command = target.command(.deploy, artifact: release.artifact, ledger: ledger)
            let session = LedgerSession(.deploy, ledger: ledger)
            let environment = try? await FleetEnvironment.resolve(target.fleet.settings)
            let notify = NotifySession(playbook: target.playbook, environment: environment)
            let sink = session.observing(notify.observing(report.wrap(junit.wrap(EventRendering.deploySink(for: events.output, command: command)), command: command)))
            // One --lock-wait for the ledger's lease and then the hosts': they get what remains.
            try await ledger.holdingLease(app: target.app, environment: environment, wait: lock.duration) { remainingWait in
                try await ExitStatus.finishDeploy { stop async throws(RolloutError) -> DeployReport in
                    let report = try await deployment.waitingForLeases(remainingWait).run(events: sink, stop: stop, admission: admission)
                    await session.record(report)
                    await notify.finish()
                    return report
                }
            }
        }

        /// The production confirmation, naming which release replaces which.
        private func confirm() async throws {
            try await confirmation.confirm("deploy \(target.playbook)", settings: target.fleet.settings) { [release, target, ledger] in
                // Which release replaces which: the artifact named, and what the ledger says the fleet runs.
                var parts: [String] = []
                if let artifact = release.artifact { parts.append("with \(URL(fileURLWithPath: artifact).lastPathComponent)") }
                if let version = release.version { parts.append("(version \(version))") }
                let environment = try? await FleetEnvironment.resolve(target.fleet.settings)
                if let now = await ledger.landedRelease(app: target.app, environment: environment) {
                    parts.append("replacing \(now), the release the ledger last saw it land on")
                }
                return parts.isEmpty ? nil : parts.joined(separator: " ")
            }
        }
    }

    struct Plan: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the waves and steps of a deploy without touching any host."
        )

        @OptionGroup var target: PlaybookTarget
        @OptionGroup var release: ArtifactOptions
        @OptionGroup var strategy: StrategyOption
        @OptionGroup var events: EventOutputOption

        func run() async throws {
            var request = DeployRequest(connection: target.fleet.settings, playbook: target.playbook,
                                        artifact: release.artifact, version: release.version, strategy: strategy.strategy)
            request.store = release.storeUse()
            // The plan is the output of this verb: stdout.
            let sink = EventRendering.deploySink(for: events.output, command: target.command(.deploy), planToStdout: true)
            do {
                sink(.planned(try await Deployment(request).plan()))
            } catch {
                TerminalOutput().err(error.description)
                throw ExitCode(error.exitCode)
            }
        }
    }
}
