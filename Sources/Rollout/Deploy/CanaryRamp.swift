import Fleet
import Release

/// The waves of a canary: a ramp of cumulative steps (by default 1 host, 10%, 50%, 100%), each
/// gated by the health checks and, for a step with a `bake`, by the KPI analysis of
/// ``CanaryAnalysis``. Canary hosts come first: the inventory group `canary` when it has
/// selected hosts, else hosts spread across `labels.zone`.
enum CanaryRamp {
    /// Waves for a canary plan, each with the step it completes (the last wave takes any rest).
    static func waves(_ hosts: [Fleet.Host], inventory: Inventory, plan: CanaryPlan) -> [(hosts: [String], step: CanaryStep)] {
        let ordered = order(hosts, inventory: inventory).map(\.name)
        var waves: [(hosts: [String], step: CanaryStep)] = []
        var done = 0
        for step in plan.steps {
            let target: Int
            switch step.size {
            case .count(let n): target = min(ordered.count, max(1, n))
            case .percent(let p): target = min(ordered.count, max(1, (ordered.count * p + 99) / 100))
            }
            let upTo = max(done, target)
            if upTo > done { waves.append((Array(ordered[done..<upTo]), step)) }
            done = upTo
        }
        if done < ordered.count {
            let last = plan.steps.last ?? CanaryStep(size: .percent(100))
            if waves.isEmpty { waves.append((Array(ordered[done...]), last)) } else { waves[waves.count - 1].hosts += ordered[done...] }
        }
        return waves
    }

    /// Canary group members first, then round-robin across zones (hosts without a zone last).
    static func order(_ hosts: [Fleet.Host], inventory: Inventory) -> [Fleet.Host] {
        let canaryNames = Set(inventory.groups["canary"]?.hosts ?? [])
        let canaries = hosts.filter { canaryNames.contains($0.name) }
        let rest = hosts.filter { !canaryNames.contains($0.name) }
        var zones: [String: [Fleet.Host]] = [:]
        var zoneOrder: [String] = []
        for host in rest {
            let zone = host.labels["zone"] ?? "\u{10FFFF}"
            if zones[zone] == nil { zoneOrder.append(zone) }
            zones[zone, default: []].append(host)
        }
        var spread: [Fleet.Host] = []
        var index = 0
        while spread.count < rest.count {
            for zone in zoneOrder where index < zones[zone]!.count { spread.append(zones[zone]![index]) }
            index += 1
        }
        return canaries + spread
    }
}
