import Diagnostics

/// Resolves each host's jump chain (first hop first) and reports jump cycles.
struct JumpChainResolver {
    var hosts: [Host]
    var settings: [String: ConnectionSettings]
    var synthesise: (String) -> Host
    var collector: DiagnosticCollector

    /// Chains for every host; hosts in or behind a cycle get an empty chain after the cycle is reported.
    func resolveAll(points: [String: SourcePoint?]) -> [String: [Host]] {
        let byName = Dictionary(uniqueKeysWithValues: hosts.map { ($0.name, $0) })
        var chains: [String: [Host]] = [:]
        var reportedCycles: Set<Set<String>> = []

        func chain(_ name: String, path: [String]) -> [Host]? {
            if let done = chains[name] { return done }
            if let start = path.firstIndex(of: name) {
                let cycle = Array(path[start...]) + [name]
                if reportedCycles.insert(Set(cycle)).inserted {
                    let point = jumpPoint(of: cycle[0]) ?? points[cycle[0]] ?? nil
                    let message = "jump cycle: " + cycle.joined(separator: " -> ")
                    collector.report(point?.error(message) ?? .error(message))
                }
                return nil
            }
            var result: [Host] = []
            switch settings[name]?.jump {
            case .inventory(let target, _):
                guard let hop = byName[target] else { break }
                guard let before = chain(target, path: path + [name]) else { return nil }
                result = before + [hop]
            case .proxyJump(let hops):
                for (index, spec) in hops.enumerated() {
                    if let hop = byName[spec] {
                        if index == 0 {
                            guard let before = chain(spec, path: path + [name]) else { return nil }
                            result += before
                        } else if spec == name || path.contains(spec) {
                            let message = "jump cycle: ProxyJump of '\(name)' goes back through '\(spec)'"
                            if reportedCycles.insert([name, spec]).inserted {
                                collector.report(points[name].flatMap { $0 }?.error(message) ?? .error(message))
                            }
                            return nil
                        }
                        result.append(hop)
                    } else {
                        result.append(synthesise(spec))
                    }
                }
            case .direct, .proxyCommand, nil:
                break
            }
            chains[name] = result
            return result
        }

        for host in hosts where chains[host.name] == nil {
            if chain(host.name, path: []) == nil { chains[host.name] = [] }
        }
        return chains
    }

    private func jumpPoint(of name: String) -> SourcePoint? {
        if case .inventory(_, let point) = settings[name]?.jump { return point }
        return nil
    }
}
