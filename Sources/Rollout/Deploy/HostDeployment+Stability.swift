import Release
import Transport

extension HostDeployment {
    /// How often the health checks are re-run while a host is held for `stable_for`.
    static let stabilityInterval: Duration = .seconds(1)

    /// Re-runs `checks` every second from the start (no retries: the app already started) until they have
    /// passed continuously for `duration`. Nil when they did (or `duration` is zero, there are
    /// no checks, or the deploy is aborted meanwhile: the abort rolls back), else why not.
    func holdStable(_ checks: [HealthCheck], for duration: Duration, values: TemplateValues, environment: [String: String]) async -> String? {
        guard duration > .zero, !checks.isEmpty, let connection else { return nil }
        let start = ContinuousClock.now
        let end = start + duration
        emit(.stable, .started, "health checks held for \(SecondsText.describe(duration))")
        var rounds = 0
        while ContinuousClock.now < end {
            if stop.isAborted || Task.isCancelled {
                emit(.stable, .skipped, "stopped after \(SecondsText.describe(.now - start)) of \(SecondsText.describe(duration))")
                return nil
            }
            // Rounds on a fixed schedule from the start, one a second, not a second after the
            // last round ended: checks that take their time do not stretch the spacing past
            // the interval, so a fault that shows one second in every few (a flapping health
            // endpoint) falls on a round in any phase; a late round starts the next at once.
            try? await Task.sleep(until: min(start + Self.stabilityInterval * (rounds + 1), end), clock: .continuous)
            rounds += 1
            for check in checks {
                var once = check
                once.retries = 0
                let probe = HealthProbe(check: once, values: values, environment: environment)
                if let reason = await probe.run(on: connection, scripts: scripts) {
                    let elapsed = SecondsText.describe(.now - start)
                    events(.check(CheckResult(host: name, step: .stable, check: probe.label, passed: false, detail: reason)))
                    let message = "\(probe.label) failed \(elapsed) into the \(SecondsText.describe(duration)) hold: \(reason)"
                    emit(.stable, .failed, message)
                    return message
                }
            }
        }
        emit(.stable, .ok, "healthy for \(SecondsText.describe(duration)) (\(rounds) round\(rounds == 1 ? "" : "s") of \(checks.count) check\(checks.count == 1 ? "" : "s"))")
        return nil
    }
}
