import Analysis
import Release

/// The bake of one canary step: samples every KPI on the canary hosts and on a baseline of hosts
/// still on the old release, for the bake time, then asks the judge. The bake's start and every
/// sample are events (for the live view, the JSON events and the report).
struct CanaryAnalysis: Sendable {
    let kpis: [KPIDefinition]
    let bake: Duration
    /// The wave (1-based) being baked.
    let wave: Int
    let events: DeployEventSink

    func run(canary: [HostDeployment], baseline: [HostDeployment], stop: StopRequest) async -> CanaryJudgement {
        events(.bakeStarted(canary: canary.map(\.name), baseline: baseline.map(\.name), duration: bake))
        var samples = [String: KPISamples]()
        for kpi in kpis { samples[kpi.name] = KPISamples(canary: [], baseline: []) }
        let interval = max(.milliseconds(200), kpis.map(\.interval).min() ?? .seconds(5))
        let end = ContinuousClock.now + bake
        repeat {
            for kpi in kpis {
                let sampler = KPISampler(kpi: kpi)
                let (canaryValues, baselineValues) = await (Self.collect(sampler, canary), Self.collect(sampler, baseline))
                report(kpi, canaryValues, .canary)
                report(kpi, baselineValues, .baseline)
                samples[kpi.name]?.canary += canaryValues.compactMap(\.value)
                samples[kpi.name]?.baseline += baselineValues.compactMap(\.value)
            }
            if stop.isRequested || Task.isCancelled { break }
            let remaining = end - .now
            if remaining <= .zero { break }
            try? await Task.sleep(for: min(interval, remaining))
        } while ContinuousClock.now < end
        let inputs = kpis.map { kpi in (kpi.rule, samples[kpi.name] ?? KPISamples(canary: [], baseline: [])) }
        return CanaryJudge.judge(inputs)
    }

    private func report(_ kpi: KPIDefinition, _ values: [(host: String, value: Double?)], _ group: KPISample.Group) {
        for sample in values {
            events(.kpiSample(KPISample(wave: wave, kpi: kpi.name, host: sample.host, group: group, value: sample.value)))
        }
    }

    /// One sample per host (nil: no data), in the hosts' order.
    private static func collect(_ sampler: KPISampler, _ hosts: [HostDeployment]) async -> [(host: String, value: Double?)] {
        await withTaskGroup(of: (Int, Double?).self) { group in
            for (index, host) in hosts.enumerated() { group.addTask { (index, await sampler.sample(host)) } }
            var values = [Double?](repeating: nil, count: hosts.count)
            for await (index, value) in group { values[index] = value }
            return zip(hosts, values).map { ($0.name, $1) }
        }
    }
}
