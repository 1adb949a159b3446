import Diagnostics
import Yams

/// Reads `strategy: { canary: { steps: [...] } }`.
struct CanaryParser {
    static let keys = ["steps"]
    static let stepKeys = ["hosts", "percent", "bake", "stable_for", "analysis", "pause", "pause_timeout", "on_timeout"]

    var reader: YAMLReader

    func plan(_ node: Node) -> CanaryPlan? {
        guard let entries = reader.mapping(node, for: "canary") else { return nil }
        var plan = CanaryPlan.defaultRamp
        for entry in reader.rejectUnknownKeys(entries, allowed: Self.keys, in: "canary") {
            guard let items = reader.sequence(entry.value, for: "canary.steps") else { return nil }
            if items.isEmpty { reader.error("'canary.steps' needs at least one step", at: entry.value); return nil }
            let steps = items.compactMap(step)
            guard steps.count == items.count else { return nil }
            plan.steps = steps
        }
        return plan
    }

    private func step(_ node: Node) -> CanaryStep? {
        guard let entries = reader.mapping(node, for: "a canary step") else { return nil }
        var size: BatchSize?
        var sizeGiven = false
        var step = CanaryStep(size: .count(1))
        var valid = true
        for entry in reader.rejectUnknownKeys(entries, allowed: Self.stepKeys, in: "a canary step") {
            switch entry.key {
            case "hosts":
                sizeGiven = true
                if size != nil { reader.error("a canary step has both 'hosts' and 'percent'; use one", at: entry.keyNode); valid = false }
                if let count = reader.count(entry.value, for: "hosts", minimum: 1) { size = .count(count) } else { valid = false }
            case "percent":
                sizeGiven = true
                if size != nil { reader.error("a canary step has both 'hosts' and 'percent'; use one", at: entry.keyNode); valid = false }
                let text = reader.string(entry.value, for: "percent") ?? ""
                let digits = text.hasSuffix("%") ? String(text.dropLast()) : text
                if let value = Int(digits), (1...100).contains(value) { size = .percent(value) } else {
                    reader.error("invalid percentage '\(text)' for 'percent' (expected 1..100)", at: entry.value)
                    valid = false
                }
            case "bake":
                if let bake = reader.duration(entry.value, for: "bake") { step.bake = bake } else { valid = false }
            case "stable_for":
                if let value = reader.duration(entry.value, for: "stable_for", allowZero: true) { step.stableFor = value } else { valid = false }
            case "analysis":
                if let names = reader.stringList(entry.value, for: "analysis") { step.analysis = names } else { valid = false }
            case "pause":
                let text = reader.string(entry.value, for: "pause") ?? ""
                if text == "manual" { step.pause = step.pause ?? ManualPause() } else {
                    reader.error("invalid pause '\(text)' (expected manual)", at: entry.value)
                    valid = false
                }
            case "pause_timeout":
                if let value = reader.duration(entry.value, for: "pause_timeout") {
                    var pause = step.pause ?? ManualPause()
                    pause.timeout = value
                    step.pause = pause
                } else { valid = false }
            default:
                let text = reader.string(entry.value, for: "on_timeout") ?? ""
                if let action = PauseAction(rawValue: text) {
                    var pause = step.pause ?? ManualPause()
                    pause.onTimeout = action
                    step.pause = pause
                } else {
                    reader.error("invalid on_timeout '\(text)' (expected promote or abort)", at: entry.value)
                    valid = false
                }
            }
        }
        guard let size else {
            if !sizeGiven { reader.error("a canary step needs 'hosts' or 'percent'", at: node) }
            return nil
        }
        step.size = size
        return valid ? step : nil
    }
}
