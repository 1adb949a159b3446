import Diagnostics
import Fleet
import Foundation
import Release

/// Everything a deploy decides before touching a host: playbook, rollback policy, artifact
/// (validated and hashed locally), release id, hosts and waves. Mistakes are configuration errors.
struct DeployPreparation: Sendable {
    let playbook: Playbook
    let policy: RollbackPolicy
    let artifact: Artifact
    let release: ReleaseID
    let selection: FleetSelection
    let plan: DeployPlan
    /// The connection settings in force: the request's, with the playbook's `parallel` unless
    /// the request chose one.
    let settings: ConnectionSettings
    /// Per wave, the canary step it completes (nil for other strategies). With blue/green's
    /// `bake`, every batch is such a step.
    let canarySteps: [CanaryStep?]
    /// Set for blue/green deploys.
    let blueGreen: BlueGreenPlan?
    /// Where the hosts download the artifact from (`distribution: pull`); nil: the runner pushes it.
    let pull: PullSource?
    /// How the artifact reaches the hosts: the request's choice, else the playbook's.
    let distribution: ArtifactDistribution

    init(playbook name: String, artifact override: String?, version: String?, connection: ConnectionSettings,
         deployID: String, strategy choice: StrategyChoice? = nil, store: ArtifactStoreUse = ArtifactStoreUse(),
         distribution: ArtifactDistribution? = nil) async throws(RolloutError) {
        let playbook: Playbook
        let policy: RollbackPolicy
        do {
            playbook = try PlaybookLoader.load(name, snapshot: connection.playbookSnapshot)
            policy = try PlaybookLoader.rollbackPolicy(for: playbook, snapshot: connection.playbookSnapshot)
        } catch {
            throw .configuration(error)
        }
        let source = try Self.artifactSource(playbook: playbook, override: override, store: store)
        let artifactPath = source.path
        let artifact: Artifact
        do {
            artifact = try ArtifactInspector.inspect(path: artifactPath, allowSpecialModes: playbook.preserveArtifactModes)
        } catch {
            throw .configuration(DiagnosticError(.error("artifact \(artifactPath) refused before any host was touched: \(error.message)")))
        }
        try Self.verify(artifact, from: source)
        guard let versionName = source.version ?? version ?? playbook.version ?? VersionName.derive(fromArtifact: artifactPath) else {
            throw .configuration(DiagnosticError(.error("cannot tell the version of \(artifactPath) from its name: set `version:` or pass --version")))
        }
        let release: ReleaseID
        do {
            release = try ReleaseID(version: versionName, sha256: artifact.sha256)
        } catch {
            throw .configuration(DiagnosticError(.error("invalid version '\(versionName)': \(error.message)")))
        }
        try Self.store(artifact, release: release, playbook: playbook, use: store)
        self.distribution = distribution ?? playbook.distribution
        if self.distribution == .relay, let why = RelayScript.refusal(copy: playbook.deployRoot) {
            throw .configuration(DiagnosticError(.error("\(playbook.path): distribution relay: \(why); deploy with --distribution direct")))
        }
        pull = try PullSource.choose(distribution ?? playbook.distribution, playbook: playbook,
                                     storedName: Self.storedName(artifact, source: source, release: release, playbook: playbook, use: store))
        var settings = connection
        if settings.chosenParallel == nil { settings.parallel = playbook.parallel }
        let selection = try await FleetSelection.load(settings)
        let environment = try FleetEnvironment.resolve(inventory: selection.inventory, option: settings.environment)
        let names = selection.hosts.map(\.name)
        var strategy = playbook.strategy
        switch choice {
        case .canary: if case .canary = strategy {} else { strategy = .canary }
        case .rolling: if case .rolling = strategy {} else { strategy = .rolling(batch: .count(1)) }
        case .allAtOnce: strategy = .allAtOnce
        case .blueGreen: if case .blueGreen = strategy {} else { strategy = .blueGreen }
        case nil: break
        }
        var blueGreen: BlueGreenPlan?
        if case .blueGreen(let plan) = strategy {
            let missing = [("start", playbook.hooks.start), ("switch", playbook.hooks.switchTraffic)].filter { $0.1 == nil }.map { "hooks.\($0.0)" }
            guard missing.isEmpty else {
                throw .configuration(DiagnosticError(.error("\(playbook.path): blue-green needs \(missing.joined(separator: " and ")) (start the release in a slot, move traffic to a slot)")))
            }
            blueGreen = plan
        }
        let waves: [[String]]
        var steps: [CanaryStep?] = []
        let strategyText = DeployPlan.describe(strategy)
        if case .canary(let plan) = strategy {
            let ramp = CanaryRamp.waves(selection.hosts, inventory: selection.inventory, plan: plan)
            waves = ramp.map(\.hosts)
            steps = ramp.map(\.step)
        } else {
            waves = try DeployPlan.waves(names, strategy: strategy)
            steps = waves.map { _ in nil }
            // Blue/green batches are baked and judged one by one, like canary steps.
            if let plan = blueGreen, let bake = plan.bake {
                steps = waves.map { _ in CanaryStep(size: .percent(100), bake: bake, analysis: plan.analysis) }
            }
        }
        var allowed = 0
        while allowed < names.count && playbook.maxFailures.allows(failed: allowed + 1, of: names.count) { allowed += 1 }
        self.settings = settings
        self.playbook = playbook
        self.policy = policy
        self.canarySteps = steps
        self.blueGreen = blueGreen
        self.artifact = artifact
        self.release = release
        self.selection = selection
        plan = DeployPlan(
            app: playbook.app, deployID: deployID, release: release.description, artifactSHA256: artifact.sha256,
            strategy: strategyText, waves: waves, maxFailures: allowed,
            rollbackPolicy: "\(policy.name) (scope \(policy.scope.rawValue), on \(policy.triggers.map(\.rawValue).sorted().joined(separator: ", ")))",
            artifactBuiltAt: artifact.buildTime?.date.timeIntervalSince1970, artifactBuildTimeSource: artifact.buildTime?.source.rawValue,
            environment: environment, promotionFrom: playbook.promotion.rule(for: environment)?.from,
            promotionSoak: playbook.promotion.rule(for: environment)?.soak,
            promotionRules: playbook.promotion.rules.mapValues(\.from),
            productionHosts: selection.hosts.filter(ProductionTargets.isProduction).map(\.name))
    }

    /// `d-20261125T194500-3fa2`: sortable, unique enough, safe in a shell word.
    static func newDeployID() -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd'T'HHmmss"
        return "d-\(formatter.string(from: Date()))-\(Self.hex4(UInt16.random(in: .min ... .max)))"
    }

    /// Four hex digits, leading zeros kept (`0a3f`): ids of one width sort and read alike.
    static func hex4(_ value: UInt16) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 4 - digits.count) + digits
    }

    /// `user@machine pid N at SPACE since START` (``LeaseHolder``), for the lease and the journal.
    ///
    /// `$USER` is anyone's to set: a newline in it would add lines (`token=…`, `deploy=…`) to the
    /// lock file, so whitespace and control characters become `_`.
    static var owner: String {
        "\(oneWord(LocalUser.name))@\(LeaseHolder.thisMachine) pid \(getpid()) at \(LeaseHolder.processSpace) since \(LeaseHolder.ownStart)"
    }

    /// `text` with whitespace and control characters replaced by `_`.
    static func oneWord(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.map { scalar in
            scalar.properties.isWhitespace || scalar.properties.generalCategory == .control ? "_" : scalar
        }))
    }
}
