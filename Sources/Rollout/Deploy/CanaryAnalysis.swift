import Analysis
import Release

/// How a bake ended.
enum BakeOutcome: Sendable {
    /// Baked to the end (or ended early by a critical KPI that failed for good) and judged.
    case judged(CanaryJudgement)
    /// Stopped (Ctrl-C, abort) before the bake's end: never judged on partial data.
    case stopped(after: Duration)
}

/// The bake of one canary step: samples every KPI on the canary hosts and on a baseline of hosts
/// still on the old release, round after round for the bake time, then asks the judge. A sample
/// the canary cannot give counts (missing samples are evidence); a critical KPI that fails for
/// good ends the bake at once. The bake's start and every sample are events (for the live view,
/// the JSON events and the report).
struct CanaryAnalysis: Sendable {
    let kpis: [KPIDefinition]
    let bake: Duration
    /// The wave (1-based) being baked.
    let wave: Int
    /// Samples taken at once (the deploy's `--parallel`): a 50% step of 1,000 hosts must not
    /// open 1,000 connections to one Prometheus (and hold 1,000 answers) in each round.
    let parallel: Int
    let events: DeployEventSink

    func run<Worker: HostWorker>(canary: [Worker], baseline: [Worker], stop: StopRequest) async -> BakeOutcome {
        events(.bakeStarted(canary: canary.map(\.name), baseline: baseline.map(\.name), duration: bake))
        var samples = [String: KPISamples]()
        var runs = [String: KPISamples.Runs]()
        for kpi in kpis {
            samples[kpi.name] = KPISamples(canary: [], baseline: [])
            runs[kpi.name] = KPISamples.Runs()
        }
        let interval = max(.milliseconds(200), kpis.map(\.interval).min() ?? .seconds(5))
        let start = ContinuousClock.now
        let end = start + bake
        var endedEarly: KPIDefinition?
        repeat {
            for kpi in kpis {
                let sampler = KPISampler(kpi: kpi)
                let canaryValues = await Self.collect(sampler, canary, parallel: parallel)
                let baselineValues = await Self.collect(sampler, baseline, parallel: parallel)
                report(kpi, canaryValues, .canary)
                report(kpi, baselineValues, .baseline)
                samples[kpi.name]?.add(KPIRound(canary: canaryValues.map(\.value), baseline: baselineValues.map(\.value)),
                                       rule: kpi.rule, runs: &runs[kpi.name, default: KPISamples.Runs()])
            }
            endedEarly = kpis.first { KPIJudge.endsBakeEarly($0.rule, samples[$0.name] ?? KPISamples(canary: [], baseline: [])) }
            if endedEarly != nil { break }
            if (stop.isRequested || Task.isCancelled) && ContinuousClock.now < end { return .stopped(after: .now - start) }
            let remaining = end - .now
            if remaining <= .zero { break }
            try? await Task.sleep(for: min(interval, remaining))
        } while ContinuousClock.now < end
        let inputs = kpis.map { kpi in (kpi.rule, samples[kpi.name] ?? KPISamples(canary: [], baseline: [])) }
        var judgement = CanaryJudge.judge(inputs)
        if let endedEarly {
            judgement.reason = "bake ended early after \(SecondsText.describe(.now - start)) of \(SecondsText.describe(bake)) "
                + "(critical KPI \(endedEarly.name) failed for good): " + judgement.reason
        }
        return .judged(judgement)
    }

    private func report(_ kpi: KPIDefinition, _ values: [(host: String, value: Double?)], _ group: KPISample.Group) {
        for sample in values {
            let breach = KPISample.Breach.of(sample.value, max: kpi.rule.max, min: kpi.rule.min)
            events(.kpiSample(KPISample(wave: wave, kpi: kpi.name, host: sample.host, group: group, value: sample.value, breach: breach)))
        }
    }

    /// One sample per host (nil: no data), in the hosts' order.
    private static func collect<Worker: HostWorker>(_ sampler: KPISampler, _ hosts: [Worker], parallel: Int) async -> [(host: String, value: Double?)] {
        var values = [Double?](repeating: nil, count: hosts.count)
        await HostFanOut<(Int, Worker), (Int, Double?)>(parallel: parallel).run(Array(hosts.enumerated()), work: { index, host in
            (index, await sampler.sample(host))
        }, onResult: { index, value in values[index] = value })
        return zip(hosts, values).map { ($0.name, $1) }
    }
}
