import Diagnostics
import Yams

/// Reads `strategy: { blue-green: { batch, bake, analysis } }` and `slots: { blue: { port }, green: { port } }`.
struct BlueGreenParser {
    static let keys = ["batch", "bake", "analysis"]
    static let slotKeys = ["port"]

    var reader: YAMLReader

    func plan(_ node: Node) -> BlueGreenPlan? {
        guard let entries = reader.mapping(node, for: "blue-green") else { return nil }
        var plan = BlueGreenPlan.standard
        var valid = true
        for entry in reader.rejectUnknownKeys(entries, allowed: Self.keys, in: "blue-green") {
            switch entry.key {
            case "batch":
                if let size = reader.batchSize(entry.value, for: "blue-green.batch") { plan.batch = size } else { valid = false }
            case "bake":
                if let bake = reader.duration(entry.value, for: "bake") { plan.bake = bake } else { valid = false }
            default:
                if let names = reader.stringList(entry.value, for: "analysis") { plan.analysis = names } else { valid = false }
            }
        }
        return valid ? plan : nil
    }

    func slots(_ node: Node) -> SlotPorts {
        var ports = SlotPorts()
        guard let entries = reader.mapping(node, for: "slots") else { return ports }
        for entry in reader.rejectUnknownKeys(entries, allowed: Slot.allCases.map(\.rawValue), in: "slots") {
            guard let slot = Slot(rawValue: entry.key), let fields = reader.mapping(entry.value, for: "slots.\(entry.key)") else { continue }
            for field in reader.rejectUnknownKeys(fields, allowed: Self.slotKeys, in: "slots.\(entry.key)") {
                guard let port = reader.int(field.value, for: "slots.\(entry.key).port") else { continue }
                guard (1...65535).contains(port) else {
                    reader.error("invalid port \(port) for slot \(entry.key) (expected 1..65535)", at: field.value)
                    continue
                }
                if slot == .blue { ports.blue = port } else { ports.green = port }
            }
        }
        if let blue = ports.blue, blue == ports.green {
            reader.error("slots blue and green both use port \(blue); a host runs both at once", at: node)
        }
        return ports
    }
}
