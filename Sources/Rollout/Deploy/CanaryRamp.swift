import Fleet

/// The waves of a canary without metric analysis yet: a ramp of cumulative steps (1 host, 10%,
/// 50%, 100%), each gated by the health checks. Canary hosts come first: the inventory group
/// `canary` when it has selected hosts, else hosts spread across `labels.zone`.
enum CanaryRamp {
    static let defaultSteps: [RampStep] = [.hosts(1), .percent(10), .percent(50), .percent(100)]

    enum RampStep: Sendable, Hashable {
        case hosts(Int)
        case percent(Int)

        func cumulative(of total: Int) -> Int {
            switch self {
            case .hosts(let n): return min(total, max(1, n))
            case .percent(let p): return min(total, max(1, (total * p + 99) / 100))
            }
        }
    }

    static func waves(_ hosts: [Fleet.Host], inventory: Inventory, steps: [RampStep] = defaultSteps) -> [[String]] {
        let ordered = order(hosts, inventory: inventory).map(\.name)
        var waves: [[String]] = []
        var done = 0
        for step in steps {
            let upTo = max(done, step.cumulative(of: ordered.count))
            if upTo > done { waves.append(Array(ordered[done..<upTo])) }
            done = upTo
        }
        if done < ordered.count { waves.append(Array(ordered[done...])) }
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
