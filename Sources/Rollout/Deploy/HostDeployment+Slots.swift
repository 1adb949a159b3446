import Fleet
import Release
import Transport

/// Blue/green on one host: the new release goes into the idle slot and is started and checked
/// there while the live slot keeps serving; a switch moves traffic; rolling back switches back.
extension HostDeployment {
    /// Puts the release into the idle slot, starts it (`hooks.start`) and runs the health checks
    /// against that slot. Traffic does not move. Nil when the slot is ready (or the host already
    /// serves the release), else the trigger that failed.
    func stage(release: ReleaseID) async -> RollbackTrigger? {
        guard healthy, let connection, let token = leaseToken, let state else { return nil }
        if let live = state.liveSlot, state.slots[live] == release, state.current == release {
            alreadyLive = true
            emit(.stage, .skipped, "\(release) already serves from slot \(live)")
            return nil
        }
        guard let start = playbook.hooks.start else {
            fail(.stage, "blue-green needs hooks.start in the playbook")
            return .hook
        }
        let slot = state.idleSlot
        emit(.stage, .started, "slot \(slot) <- \(release)")
        if let trigger = await startSlot(slot, release: release, start: start, connection: connection, token: token,
                                         playbook: playbook, deployID: deployID) {
            return trigger
        }
        stagedSlot = slot
        emit(.stage, .ok, "slot \(slot) runs \(release)\(state.liveSlot.map { "; slot \($0) keeps serving" } ?? "")")
        let values = Deployment.templateValues(host).about(slot: slot, port: slotPorts[slot])
        let environment = slotEnvironment(slot, release: release, previous: state.current)
        if let reason = await checks(playbook.health, step: .health, values: values, environment: environment) {
            run.fail("health of slot \(slot): \(reason)")
            return .health
        }
        return nil
    }

    /// A host whose traffic moves between slots cannot take a plain switch of `current`: it
    /// would not move traffic. Fails it before anything is pushed.
    func refuseIfSlotted() {
        guard healthy, let live = state?.liveSlot else { return }
        fail(.lease, "serves from blue/green slot \(live) (\(state?.slots[live]?.description ?? "?")); deploy with --blue-green (or strategy blue-green)")
    }

    /// Moves traffic to the staged slot (`hooks.switch`), holds its health checks for
    /// `stableFor`, then smoke tests and `after_switch`.
    func switchSlot(release: ReleaseID, stableFor: Duration) async -> RollbackTrigger? {
        guard healthy, let connection, let token = leaseToken else { return nil }
        if alreadyLive {
            emit(.switch, .skipped, "already serving \(release)")
            return nil
        }
        guard let slot = stagedSlot, let hook = playbook.hooks.switchTraffic else {
            fail(.switch, "blue-green needs hooks.switch in the playbook and a started slot")
            return .hook
        }
        let before = state?.liveSlot
        emit(.switch, .started, "traffic -> slot \(slot)")
        run.switchStarted(to: release)
        let environment = slotEnvironment(slot, release: release, previous: state?.current)
        do {
            let result = try await connection.run(
                scripts.fenced(token: token, ttlSeconds: LeaseLife.seconds,
                               scripts.switchSlot(to: slot, release: release, hook: hook, environment: environment)),
                timeout: playbook.timeouts.hook)
            guard result.exitStatus == 0 else {
                fail(.switch, Self.output(result))
                return .hook
            }
            run.switchDone(to: release, from: Self.switchedFrom(result.stdoutText, to: release))
            let warm = before.map { "; slot \($0) keeps \(slotReleases[$0]?.description ?? "its release") warm" } ?? ""
            emit(.switch, .ok, "traffic -> slot \(slot) (\(release))\(warm)")
        } catch {
            fail(.switch, error.reason(about: name), unreachable: error.isUnreachable)
            return .hook
        }
        let values = templateValues
        // The slot passed its checks before traffic came; it must keep passing with traffic.
        if let reason = await holdStable(playbook.health, for: stableFor, values: values, environment: environment) {
            run.fail("health: \(reason)")
            return .health
        }
        if let reason = await smoke(playbook.smoke, values: values, environment: environment) {
            run.fail("smoke: \(reason)")
            return .smoke
        }
        if let hook = playbook.hooks.afterSwitch {
            let script = scripts.fenced(token: token, ttlSeconds: LeaseLife.seconds, scripts.hook(hook, in: release, environment: environment))
            do {
                let result = try await connection.run(script, timeout: playbook.timeouts.hook)
                guard result.exitStatus == 0 else {
                    fail(.afterSwitch, Self.output(result))
                    return .hook
                }
                emit(.afterSwitch, .ok)
            } catch {
                fail(.afterSwitch, error.reason(about: name))
                return .hook
            }
        }
        return nil
    }

    /// Traffic back to the slot holding `target` (default: the release this run switched away
    /// from). The slot this run switched away from moments ago is still warm and is switched to
    /// at once; any other slot is checked first, and (re)started when it does not answer; a
    /// release in no slot is started in the idle one. Then the policy's checks on that slot.
    func rollBackSlots(to explicitTarget: ReleaseID?) async -> String? {
        guard let connection, let token = leaseToken, let state else { return "not connected" }
        guard let target = explicitTarget ?? switchedFrom ?? (switchAttempted ? state.current : state.previous) else {
            emit(.rollback, .failed, "no previous release to go back to")
            return "no previous release to go back to"
        }
        guard let hook = playbook.hooks.switchTraffic, let start = playbook.hooks.start else {
            let reason = "this host serves from blue/green slots; the playbook needs hooks.start and hooks.switch to switch back"
            emit(.rollback, .failed, reason)
            return reason
        }
        let serving = liveSlot
        if let serving, target == state.current, slotReleases[serving] == target, !switchAttempted {
            // Finishing an earlier rollback: traffic is already on the slot holding the target.
            // Verify it there; starting it again in the idle slot would throw away the warm one.
            emit(.rollback, .started, "to \(target), served by slot \(serving)")
            let verification = policy.checks.isEmpty ? playbook.health : policy.checks
            let environment = slotEnvironment(serving, release: target, previous: nil)
            if let reason = await checks(verification, step: .checks, values: vars.about(slot: serving, port: slotPorts[serving]), environment: environment) { return reason }
            run.wentBack(to: target)
            emit(.rollback, .ok, "traffic stays on slot \(serving) (\(target))")
            run.recovered()
            return nil
        }
        let warmSlot = switched ? state.liveSlot : nil
        let holder = Slot.allCases.first { $0 != serving && slotReleases[$0] == target }
        let slot = holder ?? serving?.other ?? stagedSlot?.other ?? state.idleSlot
        emit(.rollback, .started, "to \(target) in slot \(slot)")
        let slotValues = vars.about(slot: slot, port: slotPorts[slot])
        let environment = slotEnvironment(slot, release: target, previous: currentRelease ?? state.current)
        if holder == nil || slot != warmSlot {
            // Not known to be serving moments ago: make sure it answers before traffic goes there.
            var answers = false
            if holder != nil && !playbook.health.isEmpty {
                answers = await checks(playbook.health, step: .checks, values: slotValues, environment: environment) == nil
            }
            if !answers {
                if let trigger = await startSlot(slot, release: target, start: start, connection: connection, token: token,
                                                 playbook: playbook, deployID: deployID) {
                    return "slot \(slot) did not start \(target) (\(trigger.rawValue))"
                }
                if let reason = await checks(playbook.health, step: .checks, values: slotValues, environment: environment) {
                    return "slot \(slot) with \(target) is not healthy: \(reason)"
                }
            }
        }
        do {
            let result = try await connection.run(
                scripts.fenced(token: token, ttlSeconds: LeaseLife.seconds,
                               scripts.switchSlot(to: slot, release: target, step: .rollback, hook: hook, environment: environment)),
                timeout: playbook.timeouts.hook)
            guard result.exitStatus == 0 else {
                let reason = "switch back: " + Self.output(result)
                emit(.rollback, .failed, reason)
                return reason
            }
        } catch {
            emit(.rollback, .failed, error.message)
            return error.reason(about: name)
        }
        run.trafficBack(to: target)
        stagedSlot = slot
        emit(.rollback, .ok, "traffic -> slot \(slot) (\(target))")
        let verification = policy.checks.isEmpty ? playbook.health : policy.checks
        if let reason = await checks(verification, step: .checks, values: slotValues, environment: environment) { return reason }
        run.recovered()
        return nil
    }

    /// Points `slot` at `release` and runs the start hook: one round trip. Nil when it started.
    private func startSlot(_ slot: Slot, release: ReleaseID, start: String, connection: SSHConnection, token: LeaseToken,
                           playbook: Playbook, deployID: String) async -> RollbackTrigger? {
        let environment = slotEnvironment(slot, release: release, previous: state?.current)
        do {
            let result = try await connection.run(
                scripts.fenced(token: token, ttlSeconds: LeaseLife.seconds,
                               scripts.stage(slot, release: release, start: start, environment: environment)),
                timeout: playbook.timeouts.hook)
            let (_, hookOutput) = Self.split(result.stdoutText)
            if hookOutput != nil { slotReleases[slot] = release }
            guard result.exitStatus == 0 else {
                fail(.stage, (hookOutput == nil ? "" : "start hook: ") + Self.output(result))
                return .hook
            }
            return nil
        } catch {
            fail(.stage, error.reason(about: name), unreachable: error.isUnreachable)
            return .hook
        }
    }

    /// The hook environment plus `CUTOVER_SLOT`, `CUTOVER_SLOT_PORT` and `CUTOVER_LIVE_SLOT`.
    private func slotEnvironment(_ slot: Slot, release: ReleaseID, previous: ReleaseID?) -> [String: String] {
        var environment = hookEnvironment(release: release, previous: previous)
        environment["CUTOVER_SLOT"] = slot.rawValue
        environment["CUTOVER_SLOT_PORT"] = slotPorts[slot].map(String.init) ?? ""
        environment["CUTOVER_LIVE_SLOT"] = liveSlot?.rawValue ?? ""
        return environment
    }
}
