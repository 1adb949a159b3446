import Diagnostics
import Yams

extension PlaybookParser {
    /// Keys of the `relay` mapping.
    static let relayKeys = ["seeds", "fanout"]

    /// `relay: { seeds: N, fanout: F }`: the relay tree's shape (``RelaySettings``); an absent
    /// key keeps its default. Both are bounded: a value outside 1…max is a diagnostic.
    func relaySettings(_ node: Node) -> RelaySettings? {
        guard let entries = reader.mapping(node, for: "relay") else { return nil }
        var settings = RelaySettings()
        for entry in reader.rejectUnknownKeys(entries, allowed: Self.relayKeys, in: "relay") {
            let maximum = entry.key == "seeds" ? RelaySettings.maxSeeds : RelaySettings.maxFanout
            guard let value = reader.count(entry.value, for: "relay.\(entry.key)", minimum: 1) else { continue }
            guard value <= maximum else {
                reader.error("'relay.\(entry.key)' must be at most \(maximum), found \(value)", at: entry.value)
                continue
            }
            if entry.key == "seeds" { settings.seeds = value } else { settings.fanout = value }
        }
        return settings
    }
}
