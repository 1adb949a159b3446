import Fleet
import Foundation
import Release
import Transport

/// One host's part of a deploy or rollback: its connection, its lease and what it went through.
/// The orchestrator drives it phase by phase; each method reports its step as events.
actor HostDeployment: HostWorker {
    let host: Fleet.Host
    let scripts: RemoteScripts
    let events: DeployEventSink
    /// The deploy's stop request: an abort ends a `stable_for` hold early.
    let stop: StopRequest
    /// How this host is reached (nil: ``connect(connector:)`` is given one).
    let connector: HostConnector?
    private(set) var connection: SSHConnection?
    private(set) var state: HostState?
    private(set) var leaseToken: LeaseToken?
    /// What this host went through: every decision about it reads this value.
    var run = HostRun()
    /// Bytes this run uploaded to the host (artifact, delta bundle, file listing).
    var bytesSent: Int64 = 0
    /// The listing of the release `current` pointed at, read with the lease (deploys only).
    var leaseListing: LeaseListing.Found?
    /// Blue/green: what each slot listens on, the release each slot holds as far as this run
    /// knows, the slot this run started the new release in, and whether the host already served it.
    let slotPorts: SlotPorts
    var slotReleases: [Slot: ReleaseID] = [:]
    var stagedSlot: Slot?
    var alreadyLive = false

    /// The playbook, deploy id and rollback policy every step of this run shares.
    let context: HostRunContext
    var playbook: Playbook { context.playbook }
    var deployID: String { context.deployID }
    var policy: RollbackPolicy { context.policy }
    /// The host's values for checks (its name, address, vars).
    var vars: TemplateValues { Deployment.templateValues(host) }

    init(host: Fleet.Host, context: HostRunContext, stop: StopRequest = StopRequest(), connector: HostConnector? = nil,
         events: @escaping DeployEventSink) {
        self.host = host
        self.context = context
        self.connector = connector
        scripts = RemoteScripts(layout: HostLayout(root: context.playbook.deployRoot), deploy: context.deployID)
        slotPorts = context.playbook.slots
        self.stop = stop
        self.events = events
    }

    /// The slot serving traffic, as far as this run knows (blue/green).
    var liveSlot: Slot? { switched ? stagedSlot : state?.liveSlot }

    /// Values for checks and KPI queries: the host's, and the serving slot's in blue/green.
    var templateValues: TemplateValues {
        let values = Deployment.templateValues(host)
        guard let slot = liveSlot else { return values }
        return values.about(slot: slot, port: slotPorts[slot])
    }

    // MARK: Preflight

    /// Connects through the connector this worker was made with.
    func connect() async {
        guard let connector else { return fail(.connect, "no connector") }
        await connect(connector: connector)
    }

    /// Connects (with the connector's retries). A host that cannot be reached is failed here.
    func connect(connector: HostConnector) async {
        emit(.connect, .started)
        do {
            connection = try await connector.connect(host)
        } catch {
            return fail(.connect, error.reason(about: name), unreachable: error.isUnreachable)
        }
        emit(.connect, .ok)
    }

    var isConnected: Bool { connection != nil }

    /// Reads the deploy root's state and takes the lease in one round trip, retrying while
    /// another live deploy holds it and `lockWait` allows. `artifact`: what this run deploys,
    /// written into the lease so `resume` can tell. A deploy (`needsTar`) also reads, in the same
    /// round trip, the file listing of the release `current` points at, for a delta push (``LeaseListing``).
    func takeLease(owner: String, lockWait: Duration, needsTar: Bool, artifact: LeaseArtifact? = nil) async {
        guard let connection else { return }
        emit(.lease, .started)
        let deadline = ContinuousClock.now + lockWait
        var stale: LeaseHolder?
        while true {
            let probe = scripts.probe
            let listing = needsTar ? LeaseListing(layout: scripts.layout) : nil
            let script = probe.text + "\n"
                + scripts.acquireLease(owner: owner, ttlSeconds: LeaseLife.seconds, staleToken: stale?.token, artifact: artifact)
                + (listing.map { "\n" + $0.script } ?? "")
            do {
                let result = try await connection.run(script, timeout: .seconds(30))
                let (output, found) = listing?.split(result.stdoutText) ?? (result.stdoutText, nil)
                leaseListing = found
                state = probe.state(output)
                slotReleases = state?.slots ?? [:]
                let lease = probe.after(output)
                if result.exitStatus == 0,
                   let line = lease.split(separator: "\n").last(where: { $0.hasPrefix("token=") }),
                   let token = LeaseToken(validating: line.dropFirst("token=".count)) {
                    leaseToken = token
                    let ignored = state?.unrecognised.count ?? 0
                    let note = ignored == 0 ? "" : "; ignored \(ignored) unrecognised entr\(ignored == 1 ? "y" : "ies") in the deploy root (`cutover status` lists them)"
                    emit(.lease, .ok, (stale.map { "token \(token), taken over from \($0.deploy): its process (pid \($0.pid) on this machine) is gone" } ?? "token \(token)") + note)
                    if needsTar && state?.hasTar != true { fail(.connect, "tar is not installed on the host") }
                    return
                }
                let exit = RemoteExit(result.exitStatus)
                if exit == .deployRootRefused {
                    return fail(.lease, "refused: " + result.stderrText.trimmingCharacters(in: .whitespacesAndNewlines))
                }
                if exit == .leaseHeld {
                    let lock = HostState.lockFields(lease)
                    let holder = LeaseText.describe(lock)
                    // A holder that ran here and died (SIGKILL, a crash) never writes again.
                    if let dead = LeaseHolder(lock: lock), dead.isDeadOnThisMachine, dead != stale {
                        stale = dead
                        continue
                    }
                    if ContinuousClock.now < deadline {
                        try await Task.sleep(for: .seconds(1))
                        continue
                    }
                    run.lockHeld(by: holder)
                    return emit(.lease, .failed, "locked by \(holder)")
                }
                return fail(.lease, "cannot take the lease: \(result.stderrText + lease)")
            } catch let error as SSHError {
                return fail(.lease, error.reason(about: name), unreachable: error.isUnreachable)
            } catch {
                return fail(.lease, "cancelled")
            }
        }
    }

    // MARK: Push

    /// Uploads and extracts the release unless the host already has it, extracted by Cutover
    /// from this very artifact (its manifest says so). A release directory found under that
    /// name without it is not trusted: the extract step moves it aside.
    ///
    /// `delta`: the artifact's manifest and delta bundles. With `allowDelta`, a host holding an
    /// older release with a file listing gets only the changed files (``pushDelta(_:release:playbook:)``);
    /// a delta that cannot be built or does not verify falls back to the whole artifact
    /// (`--no-delta`: always the whole artifact). A full push leaves the artifact's file listing
    /// on the host for the next delta.
    ///
    /// `pull` (`distribution: pull`): the host first downloads the artifact from the store itself
    /// (``pullArtifact(_:artifact:incoming:timeout:)``); a host that cannot is sent a delta or the
    /// whole artifact as above, and its upload events say why.
    func push(_ plan: PushPlan) async {
        let (artifact, release, playbook, delta, allowDelta, pull) = (plan.artifact, plan.release, plan.playbook, plan.delta, plan.allowDelta, plan.pull)
        guard healthy, let connection, let token = leaseToken else { return }
        if state?.holds(release, sha256: artifact.sha256) == true {
            emit(.upload, .skipped, "release already on the host")
            return
        }
        let replaced = state?.releases.contains(release) == true
            ? "releases/\(release) on the host was not extracted from this artifact: it is replaced" : nil
        let notes = [pull.map { "pulling from \($0.url.redacted)" }, replaced].compactMap { $0 }
        emit(.upload, .started, notes.isEmpty ? nil : notes.joined(separator: "; "))
        let gzip = artifact.format == .tarGzip
        let incoming = scripts.layout.incomingFile(sha256: artifact.sha256, gzip: gzip)
        var pulled: PullOutcome?
        if let pull { pulled = await pullArtifact(pull, artifact: artifact, incoming: incoming, timeout: playbook.timeouts.upload) }
        var fallback = ""
        if case .failed(let why)? = pulled {
            emit(.upload, .started, "the host could not pull (\(why)): the runner pushes it")
            fallback = "pushed by the runner (the host could not pull: \(why)), "
        }
        if pulled?.detail == nil, let delta, allowDelta {
            switch await pushDelta(delta, release: release, playbook: playbook) {
            case .done: return
            case .full(let reason): fallback += reason.map { "whole artifact: \($0), " } ?? ""
            }
        }
        // The artifact's file listing, kept beside the release for a later delta, travels on the
        // extract step's stdin: no upload (and its round trips) of its own.
        let listing = await delta?.listing()
        do {
            if pulled?.detail == nil {
                let result = try await connection.upload(
                    localPath: artifact.path, to: incoming, expectedSHA256: artifact.sha256, timeout: playbook.timeouts.upload,
                    progress: UploadProgress(host: name, total: artifact.size, events: events).report)
                bytesSent += result.bytes
            }
            bytesSent += Int64(listing?.count ?? 0)
            if let detail = pulled?.detail {
                emit(.upload, .ok, detail + "; \(bytesSent) bytes sent by the runner")
            } else {
                emit(.upload, .ok, fallback + "\(bytesSent) bytes sent, sha256 verified")
            }
        } catch {
            return fail(.upload, error.reason(about: name), unreachable: error.isUnreachable)
        }
        let script = scripts.fenced(token: token, ttlSeconds: LeaseLife.seconds,
                                    scripts.extract(release: release, archive: incoming, sha256: artifact.sha256, gzip: gzip, shared: playbook.shared,
                                                    preserveModes: playbook.preserveArtifactModes, listing: listing.map { _ in incoming + ".files" },
                                                    listingOnStdin: true))
        await runStep(.extract, script, timeout: playbook.timeouts.upload, input: listing ?? [])
    }

    // MARK: Switch

    /// before_switch, atomic switch, activate, health checks (then held for `stableFor`),
    /// smoke tests, after_switch.
    func activate(release: ReleaseID, stableFor: Duration) async -> RollbackTrigger? {
        guard healthy, let connection, let token = leaseToken else { return nil }
        let environment = hookEnvironment(release: release, previous: state?.current)
        if let hook = playbook.hooks.beforeSwitch {
            let script = scripts.fenced(token: token, ttlSeconds: LeaseLife.seconds, scripts.hook(hook, in: release, environment: environment))
            if !(await runStep(.beforeSwitch, script, timeout: playbook.timeouts.hook)) { return .hook }
        }
        // The switch, `activate` and the command health checks' first attempts in one round
        // trip; the markers tell which one failed, and each one's arrival ends a step and
        // starts the next (each timed apart).
        emit(.switch, .started)
        let activate = playbook.hooks.activate
        run.switchStarted(to: release)
        let inline = InlineChecks(playbook.health, values: vars)
        let (name, events) = (host.name, events)
        var markers: [HookMarkerWatch.Marker] = []
        if activate != nil {
            markers.append(.init(line: RemoteScripts.hookMarker) { before in
                events(.step(host: name, step: .switch, state: .ok, detail: Self.switchDetail(release, from: Self.switchedFrom(before, to: release))))
                events(.step(host: name, step: .activate, state: .started, detail: nil))
            })
        }
        if let inline {
            markers.append(.init(line: inline.startMarker) { before in
                if activate != nil {
                    events(.step(host: name, step: .activate, state: .ok, detail: nil))
                } else {
                    events(.step(host: name, step: .switch, state: .ok, detail: Self.switchDetail(release, from: Self.switchedFrom(before, to: release))))
                }
                events(.step(host: name, step: .health, state: .started, detail: nil))
            })
        }
        let watch = HookMarkerWatch(markers)
        var attempts: [InlineChecks.Attempt] = []
        do {
            let result = try await connection.run(
                scripts.fenced(token: token, ttlSeconds: LeaseLife.seconds,
                               scripts.switchThenHook(to: release, hook: activate, environment: environment) + "\n" + (inline?.script(environment: environment) ?? "")),
                timeout: playbook.timeouts.hook + (inline?.timeout ?? .zero), output: markers.isEmpty ? nil : watch.handler)
            let stdout = inline.map { Self.before($0.startMarker, in: result.stdoutText) } ?? result.stdoutText
            let (switchOutput, hookOutput) = Self.split(stdout)
            guard hookOutput != nil || (activate == nil && result.exitStatus == 0) else {
                fail(.switch, Self.output(result))
                return .hook
            }
            run.switchDone(to: release, from: Self.switchedFrom(switchOutput, to: release))
            if !watch.fired(activate != nil ? RemoteScripts.hookMarker : inline?.startMarker ?? "") {
                emit(.switch, .ok, Self.switchDetail(release, from: switchedFrom))
            }
            // A process the hook left holding the shell's output was stopped: the hook's fault,
            // said as such (not the checks' that ran after it in the same round trip).
            if !result.stoppedHolders.isEmpty {
                fail(activate != nil ? .activate : .switch, Self.heldOutput(result.stoppedHolders))
                return .hook
            }
            // The script ends with exit 0 once the checks started: a failure after their start
            // marker is the checks' (the shell died under them), never the hook's.
            if let inline, result.exitStatus != 0, inline.started(result.stdoutText) {
                if activate != nil, !watch.fired(inline.startMarker) { emit(.activate, .ok) }
                if !watch.fired(inline.startMarker) { emit(.health, .started) }
                fail(.health, "the checks did not finish: " + Self.output(result))
                return .health
            }
            if activate != nil {
                guard result.exitStatus == 0 else {
                    fail(.activate, Self.output(CommandResult(exitStatus: result.exitStatus, signal: result.signal,
                                                             stdout: Array((hookOutput ?? "").utf8), stderr: result.stderr,
                                                             duration: result.duration)))
                    return .hook
                }
                if !(inline.map { watch.fired($0.startMarker) } ?? false) { emit(.activate, .ok) }
            }
            if let inline {
                if !watch.fired(inline.startMarker) { emit(.health, .started) }
                attempts = inline.attempts(result.stdoutText)
            }
        } catch {
            if let inline, watch.fired(inline.startMarker) {
                fail(.health, error.reason(about: name), unreachable: error.isUnreachable)
                return .health
            }
            fail(switched || watch.fired ? .activate : .switch, error.reason(about: name), unreachable: error.isUnreachable)
            return .hook
        }
        if let reason = await checks(playbook.health, step: .health, values: vars, environment: environment, inline: inline.map { ($0, attempts) }) {
            run.fail("health: \(reason)")  // `checks` reported the step already
            return .health
        }
        if let reason = await holdStable(playbook.health, for: stableFor, values: vars, environment: environment) {
            run.fail("health: \(reason)")
            return .health
        }
        if let reason = await smoke(playbook.smoke, values: vars, environment: environment) {
            run.fail("smoke: \(reason)")
            return .smoke
        }
        if let hook = playbook.hooks.afterSwitch {
            let script = scripts.fenced(token: token, ttlSeconds: LeaseLife.seconds, scripts.hook(hook, in: release, environment: environment))
            if !(await runStep(.afterSwitch, script, timeout: playbook.timeouts.hook)) { return .hook }
        }
        return nil
    }

    /// Runs the smoke tests in order, with retries; nil when all pass. Each test's last output
    /// lines go into its step event, for the report. `environment`: the hook environment, whose
    /// `CUTOVER_*` values a local command gets (``LocalEnvironment``).
    func smoke(_ tests: [SmokeTest], values: TemplateValues, environment: [String: String]) async -> String? {
        guard let connection, !tests.isEmpty else { return nil }
        for test in tests {
            let command: String
            do { command = try test.command.render(values, escaping: ShellQuote.quote) } catch {
                emit(.smoke, .failed, error.message)
                return error.message
            }
            emit(.smoke, .started, "\(test.runOn.rawValue): \(command)")
            var outcome = (passed: false, output: "")
            for attempt in 0...test.retries {
                if attempt > 0 { try? await Task.sleep(for: test.interval) }
                switch test.runOn {
                case .host:
                    if let result = try? await connection.run(scripts.check(command, environment: environment), timeout: test.timeout, captureLimit: 64 * 1024) {
                        outcome = (result.exitStatus == 0, Self.withOutput(result.summary, Self.tail(result.stdoutText + result.stderrText)))
                    } else {
                        outcome = (false, "did not finish within \(test.timeout) or the connection failed")
                    }
                case .local:
                    let local = LocalEnvironment(runner: ProcessInfo.processInfo.environment, passing: test.environment, cutover: environment)
                    let result = await LocalCommand.run(command, environment: local, timeout: test.timeout)
                    outcome = (result.status == 0 && !result.timedOut,
                               Self.withOutput(result.timedOut ? "timed out" : "exit \(result.status)", Self.tail(result.output)))
                }
                if outcome.passed { break }
            }
            // One line: where, which command (its first line), how it ended, what it said last.
            let detail = "\(test.runOn.rawValue) `\(Self.headline(command))` \(outcome.passed ? "passed" : "failed"), \(outcome.output)"
            events(.check(CheckResult(host: name, step: .smoke, check: "\(test.runOn.rawValue): \(command)", passed: outcome.passed, detail: outcome.output)))
            emit(.smoke, outcome.passed ? .ok : .failed, detail)
            if !outcome.passed { return detail }
        }
        return nil
    }

    /// The last lines of some output, on one line.
    static func tail(_ text: String) -> String {
        text.split(separator: "\n").suffix(3).joined(separator: " | ")
    }

    /// `exit 1: connection refused`, or just `exit 0` when the command printed nothing.
    static func withOutput(_ ending: String, _ output: String) -> String {
        output.trimmingCharacters(in: .whitespaces).isEmpty ? ending : "\(ending): \(output)"
    }

    /// A command's first line, cut at 60 characters, for one-line messages.
    static func headline(_ command: String) -> String {
        let lines = command.split(separator: "\n", omittingEmptySubsequences: true)
        let first = lines.first.map(String.init) ?? command
        let cut = first.count > 60 ? String(first.prefix(59)) + "…" : first
        return lines.count > 1 && !cut.hasSuffix("…") ? cut + " …" : cut
    }

    /// Marks the host as held by a deploy waiting at a pause, or clears the mark (and any answer).
    func setPaused(_ paused: Bool) async {
        guard let connection, let token = leaseToken else { return }
        let body = paused ? scripts.markPaused : scripts.clearPaused
        _ = try? await connection.run(scripts.fenced(token: token, ttlSeconds: LeaseLife.seconds, body), timeout: .seconds(10))
    }

    /// The decision file's fields (`action`, `deploy`, `by`), nil when there is none.
    func readDecision() async -> [String: String]? {
        guard let connection, let result = try? await connection.run(scripts.readDecision, timeout: .seconds(10)) else { return nil }
        var fields: [String: String] = [:]
        for line in result.stdoutText.split(separator: "\n") {
            guard let eq = line.firstIndex(of: "=") else { continue }
            fields[String(line[..<eq])] = String(line[line.index(after: eq)...])
        }
        return fields.isEmpty ? nil : fields
    }

    /// Runs a measuring command in the current release; its output, or nil when it failed.
    /// A KPI `command` sample, in the release the host serves, with that release's hook
    /// variables (`CUTOVER_RELEASE`, `CUTOVER_VERSION`, …: the new one on a canary, the old one
    /// on the baseline).
    func measure(_ command: String) async -> String? {
        guard let connection else { return nil }
        let environment = (currentRelease ?? state?.current).map { hookEnvironment(release: $0, previous: nil) } ?? [:]
        guard let result = try? await connection.run(scripts.check(command, environment: environment), timeout: .seconds(10), captureLimit: 4096),
              result.exitStatus == 0 else { return nil }
        return result.stdoutText
    }

    /// Runs checks in order; nil when all pass. `inline`: the checks' first attempts the host
    /// already ran (``InlineChecks``), whose step start was already reported; the checks it
    /// did not reach run here.
    /// `environment`: the `CUTOVER_*` values command checks get.
    func checks(_ list: [HealthCheck], step: DeployStep, values: TemplateValues, environment: [String: String],
                inline: (checks: InlineChecks, attempts: [InlineChecks.Attempt])? = nil) async -> String? {
        guard let connection, !list.isEmpty else { return nil }
        if inline == nil { emit(step, .started) }
        for (index, check) in list.enumerated() {
            let probe = HealthProbe(check: check, values: values, environment: environment)
            let reason: String?
            if let inline, index < inline.attempts.count {
                let first = inline.checks.failure(inline.attempts[index], of: index)
                reason = first == nil ? nil : await probe.run(on: connection, scripts: scripts, firstAttempt: first)
            } else {
                reason = await probe.run(on: connection, scripts: scripts)
            }
            events(.check(CheckResult(host: name, step: step, check: probe.label, passed: reason == nil, detail: reason)))
            if let reason {
                emit(step, .failed, "\(probe.label): \(reason)")
                return "\(probe.label): \(reason)"
            }
        }
        emit(step, .ok, "\(list.count) check\(list.count == 1 ? "" : "s") passed")
        return nil
    }

    // MARK: Rollback

    /// Switches back to `target` (default: where this deploy switched from, else the journal's
    /// previous release), re-runs on_rollback (or activate), then the policy's checks.
    /// Returns nil when the host is back and verified, else why not.
    /// `finishing`: nothing follows on this host (`cutover rollback`): once the checks pass, the
    /// same round trip records the verified rollback and releases the lease.
    func rollBack(to explicitTarget: ReleaseID?, finishing: Bool = false) async -> String? {
        let reason = await switchBack(to: explicitTarget, finishing: finishing)
        // Recorded in the journal when the lease is released: a rollback whose hook or checks
        // did not pass is unfinished, and `cutover rollback` finishes it before going further.
        run.rollbackEnded(verified: reason == nil ? run.currentRelease : nil)
        return reason
    }

    private func switchBack(to explicitTarget: ReleaseID?, finishing: Bool) async -> String? {
        guard connection != nil, leaseToken != nil else { return "not connected" }
        if explicitTarget == nil && !switchAttempted {
            // Rolled back with its wave, but this run never switched it: it still serves what it had.
            emit(.rollback, .skipped, "never switched; still on \(state?.current?.description ?? "its release")")
            return nil
        }
        if state?.liveSlot != nil || stagedSlot != nil {
            return await rollBackSlots(to: explicitTarget)
        }
        guard let connection, let token = leaseToken else { return "not connected" }
        // When the switch's answer was lost (a timeout, a dropped connection) the host may or
        // may not have switched: either way it goes back to what `current` was before this run,
        // never to the release before that.
        guard let target = run.rollbackTarget(explicit: explicitTarget, hostCurrent: state?.current, hostPrevious: state?.previous) else {
            emit(.rollback, .failed, "no previous release to go back to")
            return "no previous release to go back to"
        }
        emit(.rollback, .started, "to \(target)")
        let hook = playbook.hooks.onRollback ?? playbook.hooks.activate
        let environment = hookEnvironment(release: target, previous: nil)
        // Prove the release we went back to works: the policy's checks, else the playbook's
        // health checks; command checks run in the rollback's own round trip.
        let verification = policy.checks.isEmpty ? playbook.health : policy.checks
        let inline = InlineChecks(verification, values: vars)
        // The lease is released only when the journal entry was written (a full disk, say, must
        // not leave a host whose journal disagrees with the verdict and whose lease is gone).
        let finish = "{\n" + JournalEntry.appendCommand(deploy: scripts.deploy, step: .rollbackVerified, fields: ["release": target.description])
            + "\n} && {\n" + scripts.releaseLease(token: token) + "\n}"
        let (name, events) = (host.name, events)
        let watch = HookMarkerWatch(inline.map { inline in
            [HookMarkerWatch.Marker(line: inline.startMarker) { _ in
                events(.step(host: name, step: .rollback, state: .ok, detail: "current -> \(target)"))
                events(.step(host: name, step: .checks, state: .started, detail: nil))
            }]
        } ?? [])
        var attempts: [InlineChecks.Attempt] = []
        do {
            let result = try await connection.run(
                scripts.fenced(token: token, ttlSeconds: LeaseLife.seconds,
                               scripts.switchThenHook(to: target, step: .rollback, hook: hook, environment: environment) + "\n"
                                   + (inline?.script(then: finishing ? finish : nil, environment: environment) ?? "")),
                timeout: playbook.timeouts.hook + (inline?.timeout ?? .zero), output: inline == nil ? nil : watch.handler)
            let stdout = inline.map { Self.before($0.startMarker, in: result.stdoutText) } ?? result.stdoutText
            if Self.split(stdout).hook != nil || (hook == nil && result.exitStatus == 0) { run.wentBack(to: target) }
            guard result.exitStatus == 0 else {
                // The hook's own output (not the switch's `from=` and marker lines), and what the
                // shell stopped, if anything.
                var hookResult = CommandResult(exitStatus: result.exitStatus, signal: result.signal,
                                               stdout: Array((Self.split(stdout).hook ?? stdout).utf8),
                                               stderr: result.stderr, duration: result.duration)
                hookResult.stoppedHolders = result.stoppedHolders
                let reason = (currentRelease == target && hook != nil ? "rollback hook: " : "") + Self.output(hookResult)
                emit(.rollback, .failed, reason)
                return reason
            }
            if let inline {
                attempts = inline.attempts(result.stdoutText)
                // Journaled and released there: ``finish()`` only closes the connection.
                if finishing && inline.finished(result.stdoutText) { leaseToken = nil }
            }
        } catch {
            if let inline, watch.fired(inline.startMarker) {
                run.wentBack(to: target)
                let reason = error.reason(about: name)
                emit(.checks, .failed, reason)
                return reason
            }
            emit(.rollback, .failed, error.message)
            return error.reason(about: name)
        }
        run.wentBack(to: target)
        if !watch.fired { emit(.rollback, .ok, "current -> \(target)") }
        if inline != nil, !watch.fired { emit(.checks, .started) }
        if let reason = await checks(verification, step: .checks, values: vars, environment: environment, inline: inline.map { ($0, attempts) }) { return reason }
        run.recovered()
        return nil
    }

    // MARK: Finish

    /// Old releases to prune when the lease is released (a successful deploy sets it).
    private var pruning: (keep: Int, release: ReleaseID)?

    func prune(keep: Int, release: ReleaseID) {
        guard healthy else { return }
        pruning = (keep, release)
    }

    /// Prunes (when asked), releases the lease and disconnects: one round trip.
    func finish() async {
        if let connection {
            if let token = leaseToken {
                // One fenced block: prune, then the journal entries, in the lease's last round trip.
                var bodies: [String] = []
                if let pruning {
                    let protected = Set([pruning.release, switchedFrom, state?.current, state?.previous].compactMap { $0 } + slotReleases.values)
                    let onHost = (state?.releases ?? []).filter { $0 != pruning.release } + [pruning.release]
                    let retention = ReleaseRetention(releases: onHost, keep: pruning.keep, protected: protected, journal: state?.journal ?? [])
                    bodies.append(scripts.prune(removing: retention.removable))
                }
                if let verifiedRollback = run.verifiedRollback {
                    bodies.append(JournalEntry.appendCommand(deploy: scripts.deploy, step: .rollbackVerified, fields: ["release": verifiedRollback.description]))
                }
                if run.journalsVerifiedWave, let wave = run.verifiedWave, let release = run.currentRelease {
                    bodies.append(JournalEntry.appendCommand(deploy: scripts.deploy, step: .waveVerified,
                                                             fields: ["release": release.description, "wave": String(wave)]))
                }
                var script = bodies.isEmpty ? "" : scripts.fenced(token: token, ttlSeconds: LeaseLife.seconds, bodies.joined(separator: "\n")) + "\n"
                let unsure = run.isUnsure
                if unsure { script += scripts.readCurrent + "\n" }
                script += scripts.releaseLease(token: token)
                do {
                    let result = try await connection.run(script, timeout: .seconds(120))
                    if result.exitStatus != 0 { run.leaseNotReleased("the lease was not released: \(Self.output(result))", unreachable: false) }
                    if unsure { learnWhetherSwitched(result.stdoutText) }
                } catch {
                    // Whatever broke the connection, the host could not be told to end the run.
                    run.leaseNotReleased("the lease was not released: \(error.reason(about: name))", unreachable: true)
                }
            }
            await connection.close()
        }
        connection = nil
    }

    /// A switch whose answer was lost (cancelled by a second Ctrl-C, a dropped connection)
    /// may have happened: the host's `current` says, so the summary does not call a switched
    /// host unchanged. A `current` that is not a release id is no switch of this run.
    private func learnWhetherSwitched(_ output: String) {
        guard let line = output.split(separator: "\n").last(where: { $0.hasPrefix("@current=") }) else { return }
        run.learnCurrent(ReleaseID(validating: String(line.dropFirst("@current=".count))), before: state?.current)
    }

    /// Extends the lease (a fenced no-op). A lease another run took meanwhile fails the host:
    /// nothing more is written there.
    func renewLease() async {
        guard healthy, let connection, let token = leaseToken else { return }
        guard let result = try? await connection.run(scripts.fenced(token: token, ttlSeconds: LeaseLife.seconds, "true"), timeout: .seconds(30)) else { return }
        if RemoteExit(result.exitStatus) == .leaseLost { fail(.lease, "lease lost: another run holds the host now") }
    }

    /// A host the run did not connect to, and why (another run holds the lease elsewhere).
    func notTried(_ reason: String) {
        run.notTried(reason)
    }

    /// Marks a host failed by a decision outside it (e.g. rolled back as part of its wave).
    func markFailed(_ reason: String) {
        run.rolledBackWithWave(reason)
    }

    func markRollbackFailed(_ reason: String) {
        run.rollbackFailed(reason)
    }


    // MARK: Helpers

    @discardableResult
    private func runStep(_ step: DeployStep, _ script: String, timeout: Duration, input: [UInt8] = []) async -> Bool {
        guard let connection else { return false }
        emit(step, .started)
        do {
            let result = try await connection.run(script, timeout: timeout, input: input)
            if result.exitStatus == 0 {
                emit(step, .ok)
                return true
            }
            fail(step, Self.output(result))
            return false
        } catch {
            fail(step, error.reason(about: name), unreachable: error.isUnreachable)
            return false
        }
    }

    func hookEnvironment(release: ReleaseID, previous: ReleaseID?) -> [String: String] {
        [
            "CUTOVER_APP": playbook.app,
            "CUTOVER_RELEASE": release.description,
            "CUTOVER_VERSION": release.version,
            "CUTOVER_HOST": host.name,
            "CUTOVER_ADDRESS": host.address,
            "CUTOVER_PREVIOUS_RELEASE": previous?.description ?? "",
            "CUTOVER_DEPLOY_ID": deployID,
            "CUTOVER_DEPLOY_ROOT": playbook.deployRoot,
        ]
    }

    func fail(_ step: DeployStep, _ reason: String, unreachable: Bool = false) {
        run.fail("\(step.rawValue): \(reason)", unreachable: unreachable)
        emit(step, .failed, reason)
    }

    func emit(_ step: DeployStep, _ state: StepState, _ detail: String? = nil) {
        events(.step(host: host.name, step: step, state: state, detail: detail))
    }

    static func output(_ result: CommandResult) -> String {
        if !result.stoppedHolders.isEmpty { return heldOutput(result.stoppedHolders) }
        let text = (result.stderrText + result.stdoutText).trimmingCharacters(in: .whitespacesAndNewlines)
        let last = text.split(separator: "\n").suffix(3).joined(separator: " | ")
        return "\(result.summary)\(last.isEmpty ? "" : ": \(last)")"
    }

    /// The release a switch script says `current` pointed at before (its `from=` line): nil
    /// when there was none, it was `release` itself, or it is not a release id (a `current`
    /// someone else set is never a rollback target).
    static func switchedFrom(_ output: String, to release: ReleaseID) -> ReleaseID? {
        let from = output.split(separator: "\n").last { $0.hasPrefix("from=") }.map { String($0.dropFirst("from=".count)) } ?? ""
        guard let id = ReleaseID(validating: from), id != release else { return nil }
        return id
    }

    /// The output before a marker line, up to the end of the line before it (all of it when
    /// the marker is not there).
    static func before(_ marker: String, in output: String) -> String {
        // The marker's line is printed after a newline of its own (``InlineChecks``): what came
        // before it is the text up to that newline, without it.
        // Bytes, not Characters: after a carriage return, "\r\n" is one Character.
        let text = Array(("\n" + output).utf8), needle = Array(("\n" + marker + "\n").utf8)
        guard text.count >= needle.count,
              let start = (0...(text.count - needle.count)).first(where: { text[$0..<($0 + needle.count)].elementsEqual(needle) }) else { return output }
        return String(decoding: text[1..<max(1, start)], as: UTF8.self)
    }

    /// A combined switch-and-hook output split at the marker: (switch part, hook part or nil).
    static func split(_ output: String) -> (switch: String, hook: String?) {
        let marker = "\n" + RemoteScripts.hookMarker + "\n"
        guard let range = output.range(of: marker) else { return (output, nil) }
        return (String(output[..<range.lowerBound]), String(output[range.upperBound...]))
    }

    /// Why a step failed when it left processes holding its output (stopped by the shared shell).
    static func heldOutput(_ pids: [Int]) -> String {
        "left process\(pids.count == 1 ? "" : "es") \(pids.map(String.init).joined(separator: ", ")) running with its output open "
            + "(`app &` without `>log 2>&1`): stopped; redirect a background process's output or use a service manager"
    }

    /// `current -> 2.0.0-… (was 1.9.0-…)`.
    static func switchDetail(_ release: ReleaseID, from previous: ReleaseID?) -> String {
        "current -> \(release)\(previous.map { " (was \($0))" } ?? "")"
    }

}
