import Diagnostics
import Foundation
import Yams

/// Reads a composed playbook into a `Playbook`, reporting every mistake to the reader's collector.
struct PlaybookParser {
    /// Top-level keys.
    static let keys = [
        "app", "deploy_root", "artifact", "artifact_modes", "version", "keep_releases", "shared", "strategy", "parallel",
        "max_failures", "timeouts", "hooks", "health", "stable_for", "smoke", "kpis", "rollback", "slots", "notify",
        "promotion", "artifact_store", "distribution", "relay",
    ]
    /// Keys under `timeouts`.
    static let timeoutKeys = ["upload", "hook"]
    /// Keys under `hooks`.
    static let hookKeys = ["before_switch", "activate", "after_switch", "on_rollback", "start", "switch", "migrate"]
    /// Strategy names.
    static let strategyNames = ["all-at-once", "rolling", "canary", "blue-green"]

    var reader: YAMLReader
    /// The playbook's directory, for resolving `artifact`.
    var directory: String

    /// Parses the root node; returns `nil` when required keys are missing or invalid.
    func parse(root: Node?, path: String) -> Playbook? {
        guard let root else {
            reader.collector.report(reader.source.diagnostic(.error, "empty playbook (expected 'app', 'deploy_root' and 'artifact')", line: 1, column: 1))
            return nil
        }
        guard let entries = reader.mapping(root, for: "the playbook") else { return nil }
        var playbook = Playbook(app: "", deployRoot: "", path: path)
        var app: String?, deployRoot: String?
        for entry in reader.rejectUnknownKeys(entries, allowed: Self.keys) {
            let value = entry.value
            switch entry.key {
            case "app":
                app = appName(value)
            case "deploy_root":
                deployRoot = self.deployRoot(value)
            case "artifact":
                if let text = reader.string(value, for: "artifact") {
                    if text.isEmpty { reader.error("'artifact' must not be empty", at: value) } else {
                        playbook.artifactPath = text.hasPrefix("/") ? text : (directory as NSString).appendingPathComponent(text)
                    }
                }
            case "artifact_modes":
                playbook.preserveArtifactModes = preserveArtifactModes(value) ?? playbook.preserveArtifactModes
            case "version":
                if let text = reader.string(value, for: "version") {
                    if VersionName.isValid(text) { playbook.version = text } else {
                        reader.error("invalid version '\(text)' (expected letters, digits and '._+-', starting with a letter or digit, at most 64)", at: value)
                    }
                }
            case "keep_releases":
                playbook.keepReleases = reader.count(value, for: "keep_releases", minimum: 2) ?? playbook.keepReleases
            case "shared":
                playbook.shared = shared(value)
            case "strategy":
                playbook.strategy = strategy(value) ?? playbook.strategy
            case "parallel":
                playbook.parallel = reader.count(value, for: "parallel", minimum: 1) ?? playbook.parallel
            case "max_failures":
                playbook.maxFailures = failureBudget(value) ?? playbook.maxFailures
            case "timeouts":
                playbook.timeouts = timeouts(value)
            case "hooks":
                playbook.hooks = hooks(value)
            case "health":
                playbook.health = HealthCheckParser(reader: reader).checks(value, for: "health")
            case "stable_for":
                playbook.stableFor = reader.duration(value, for: "stable_for", allowZero: true) ?? playbook.stableFor
            case "smoke":
                playbook.smoke = SmokeTestParser(reader: reader).tests(value)
            case "kpis":
                playbook.kpis = KPIParser(reader: reader).kpis(value)
            case "slots":
                playbook.slots = BlueGreenParser(reader: reader).slots(value)
            case "notify":
                playbook.notify = webhooks(value)
            case "promotion":
                playbook.promotion = promotion(value)
            case "artifact_store":
                (playbook.artifactStore, playbook.artifactStoreURL) = artifactStore(value)
            case "distribution":
                playbook.distribution = distribution(value) ?? playbook.distribution
            case "relay":
                playbook.relay = relaySettings(value) ?? playbook.relay
            default:
                if let name = reader.string(value, for: "rollback") {
                    if name.isEmpty { reader.error("'rollback' must not be empty", at: value) } else {
                        playbook.rollbackPolicyName = name
                        playbook.rollbackPolicyLocation = reader.location(of: value)
                    }
                }
            }
        }
        let present = Set(entries.map(\.key))
        for required in ["app", "deploy_root"] where !present.contains(required) {
            reader.error("missing required key '\(required)'", at: root)
        }
        let kpiNames = playbook.kpis.map(\.name)
        var analysed: [String] = []
        if case .canary(let plan) = playbook.strategy { analysed = plan.steps.flatMap { $0.analysis ?? [] } }
        if case .blueGreen(let plan) = playbook.strategy {
            analysed = plan.analysis ?? []
            if let node = entries.first(where: { $0.key == "strategy" })?.value {
                for (hook, key) in [(playbook.hooks.start, "start"), (playbook.hooks.switchTraffic, "switch")] where hook == nil {
                    reader.error("strategy blue-green needs 'hooks.\(key)' (\(key == "start" ? "starts the release in the idle slot" : "moves traffic to a slot"))", at: node)
                }
            }
        }
        for name in analysed where !kpiNames.contains(name) {
            reader.collector.report(reader.source.diagnostic(.error,
                "analysis names KPI '\(name)', which 'kpis' does not define" + Suggestion.hint(for: name, in: kpiNames),
                line: 1, column: 1))
        }
        if playbook.distribution == .pull, playbook.artifactStoreURL == nil,
           let node = entries.first(where: { $0.key == "distribution" })?.value {
            reader.error("distribution: pull needs the URL the hosts download the store's artifacts from: "
                + "`artifact_store: { path: DIR, url: https://… }`", at: node)
        }
        guard let app, let deployRoot else { return nil }
        playbook.app = app
        playbook.deployRoot = deployRoot
        return playbook
    }

    private func appName(_ node: Node) -> String? {
        guard let name = reader.string(node, for: "app") else { return nil }
        guard PathRules.isValidAppName(name) else {
            reader.error("invalid app name '\(name)' (expected letters, digits, '.', '_' or '-', starting with a letter or digit, at most 64)", at: node)
            return nil
        }
        return name
    }

    private func deployRoot(_ node: Node) -> String? {
        guard let path = reader.string(node, for: "deploy_root") else { return nil }
        if let problem = PathRules.problem(withDeployRoot: path) {
            reader.error("invalid deploy_root '\(path)': \(problem)", at: node)
            return nil
        }
        return path
    }

    private func shared(_ node: Node) -> [String] {
        if reader.isNull(node) { return [] }
        guard let items = reader.sequence(node, for: "shared") else { return [] }
        return items.compactMap { item in
            guard let path = reader.string(item, for: "shared") else { return nil }
            if let problem = PathRules.problem(withSharedPath: path) {
                reader.error("invalid shared path '\(path)': \(problem)", at: item)
                return nil
            }
            return path
        }
    }

    private func strategy(_ node: Node) -> Strategy? {
        if case .scalar = node, let name = reader.string(node, for: "strategy") {
            return strategy(named: name, body: nil, at: node)
        }
        if case .mapping = node, let entries = reader.mapping(node, for: "strategy") {
            guard entries.count == 1, let entry = entries.first else {
                reader.error("'strategy' must have exactly one of \(Self.strategyNames.map { "'\($0)'" }.joined(separator: ", "))", at: node)
                return nil
            }
            return strategy(named: entry.key, body: entry.value, at: entry.keyNode)
        }
        if case .scalar = node { return nil }
        reader.error("expected a string or a mapping for 'strategy', found \(reader.kind(of: node))", at: node)
        return nil
    }

    private func strategy(named name: String, body: Node?, at node: Node) -> Strategy? {
        switch name {
        case "all-at-once":
            if let body, !reader.isNull(body) { _ = reader.rejectUnknownKeys(reader.mapping(body, for: name) ?? [], allowed: [], in: name) }
            return .allAtOnce
        case "rolling":
            guard let body, !reader.isNull(body) else { return .rolling(batch: .count(1)) }
            guard let entries = reader.mapping(body, for: "rolling") else { return nil }
            var batch = BatchSize.count(1)
            for entry in reader.rejectUnknownKeys(entries, allowed: ["batch"], in: "rolling") {
                guard let size = reader.batchSize(entry.value, for: "batch") else { return nil }
                batch = size
            }
            return .rolling(batch: batch)
        case "canary":
            guard let body, !reader.isNull(body) else { return .canary }
            return CanaryParser(reader: reader).plan(body).map(Strategy.canary)
        case "blue-green":
            guard let body, !reader.isNull(body) else { return .blueGreen }
            return BlueGreenParser(reader: reader).plan(body).map(Strategy.blueGreen)
        default:
            reader.error("unknown strategy '\(name)' (expected \(Self.strategyNames.joined(separator: ", ")))"
                + Suggestion.hint(for: name, in: Self.strategyNames), at: node)
            return nil
        }
    }

    private func failureBudget(_ node: Node) -> FailureBudget? {
        guard let text = reader.string(node, for: "max_failures") else { return nil }
        if let percent = reader.percent(text, at: node, for: "max_failures", range: 0...100) {
            return percent.map(FailureBudget.percent)
        }
        return reader.count(node, for: "max_failures", minimum: 0).map(FailureBudget.count)
    }

    private func timeouts(_ node: Node) -> PlaybookTimeouts {
        var timeouts = PlaybookTimeouts()
        guard let entries = reader.mapping(node, for: "timeouts", allowNull: true) else { return timeouts }
        for entry in reader.rejectUnknownKeys(entries, allowed: Self.timeoutKeys, in: "timeouts") {
            guard let value = reader.duration(entry.value, for: "timeouts.\(entry.key)") else { continue }
            if entry.key == "upload" { timeouts.upload = value } else { timeouts.hook = value }
        }
        return timeouts
    }

    private func hooks(_ node: Node) -> Hooks {
        var hooks = Hooks()
        guard let entries = reader.mapping(node, for: "hooks", allowNull: true) else { return hooks }
        for entry in reader.rejectUnknownKeys(entries, allowed: Self.hookKeys, in: "hooks") {
            if entry.key == "migrate" {
                hooks.migrate = migration(entry.value)
                continue
            }
            guard let command = reader.string(entry.value, for: "hooks.\(entry.key)") else { continue }
            guard !command.trimmingCharacters(in: .whitespaces).isEmpty else {
                reader.error("hook '\(entry.key)' must not be empty", at: entry.value)
                continue
            }
            guard reader.commandBytesAreClean(command, at: entry.value, for: "hooks.\(entry.key)") else { continue }
            switch entry.key {
            case "before_switch": hooks.beforeSwitch = command
            case "activate": hooks.activate = command
            case "after_switch": hooks.afterSwitch = command
            case "start": hooks.start = command
            case "switch": hooks.switchTraffic = command
            default: hooks.onRollback = command
            }
        }
        return hooks
    }
}
