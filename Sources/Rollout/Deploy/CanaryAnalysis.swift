import Analysis
import Release

/// The bake of one canary step: samples every KPI on the canary hosts and on a baseline of hosts
/// still on the old release, for the bake time, then asks the judge.
struct CanaryAnalysis: Sendable {
    let kpis: [KPIDefinition]
    let bake: Duration
    /// Receives the bake's start and every sample (for the live view and the report).
    var events: DeployEventSink? = nil

    func run(canary: [HostDeployment], baseline: [HostDeployment], stop: StopRequest) async -> CanaryJudgement {
        events?(.bakeStarted(canary: canary.map(\.name), baseline: baseline.map(\.name), duration: bake))
        var samples = [String: KPISamples]()
        for kpi in kpis { samples[kpi.name] = KPISamples(canary: [], baseline: []) }
        let interval = max(.milliseconds(200), kpis.map(\.interval).min() ?? .seconds(5))
        let end = ContinuousClock.now + bake
        repeat {
            for kpi in kpis {
                let sampler = KPISampler(kpi: kpi)
                let (canaryValues, baselineValues) = await (Self.collect(sampler, canary, events), Self.collect(sampler, baseline, events))
                samples[kpi.name]?.canary += canaryValues
                samples[kpi.name]?.baseline += baselineValues
            }
            if stop.isRequested || Task.isCancelled { break }
            let remaining = end - .now
            if remaining <= .zero { break }
            try? await Task.sleep(for: min(interval, remaining))
        } while ContinuousClock.now < end
        let inputs = kpis.map { kpi in (kpi.rule, samples[kpi.name] ?? KPISamples(canary: [], baseline: [])) }
        return CanaryJudge.judge(inputs)
    }

    private static func collect(_ sampler: KPISampler, _ hosts: [HostDeployment], _ events: DeployEventSink?) async -> [Double] {
        await withTaskGroup(of: Double?.self) { group in
            for host in hosts {
                group.addTask {
                    let value = await sampler.sample(host)
                    if let value { events?(.kpiSample(host: host.name, kpi: sampler.kpi.name, value: value)) }
                    return value
                }
            }
            var values: [Double] = []
            for await value in group { if let value { values.append(value) } }
            return values
        }
    }
}
