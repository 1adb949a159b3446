import ArgumentParser
import Console
import Foundation
import Ledger
import Rollout

/// `--override-promotion REASON` for deploy and resume, and the promotion policy's check that a
/// deploy asks before it touches any host: the playbook's rule for the deploy's environment,
/// held against the ledger (`PromotionGate`).
struct PromotionOption: ParsableArguments {
    @Option(help: ArgumentHelp("Deploy even when the promotion policy refuses (the artifact did not pass the environment before this one); the ledger records who overrode it and this reason.", valueName: "reason"))
    var overridePromotion: String?

    func validate() throws {
        if let overridePromotion, overridePromotion.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            throw ValidationError("--override-promotion needs a reason (it is recorded in the ledger)")
        }
    }

    /// The check for a deploy recording into `ledger`. Without a readable ledger nothing shows
    /// the artifact promoted anywhere: a deploy under a policy is refused (or overridden).
    func admission(ledger: LedgerOption) -> PromotionAdmission {
        let location = (try? ledger.location()) ?? .disabled
        let override = overridePromotion?.trimmingCharacters(in: .whitespacesAndNewlines)
        return { plan in
            guard let from = plan.promotionFrom else { return Self.unruled(plan, override: override) }
            let decision = await Self.decide(plan: plan, from: from, location: location)
            if decision.allowed {
                return PromotionCheck(environment: plan.environment, from: from, decision: .passed, reason: decision.reason)
            }
            if let override {
                return PromotionCheck(environment: plan.environment, from: from, decision: .overridden, reason: decision.reason, overrideReason: override)
            }
            return PromotionCheck(environment: plan.environment, from: from, decision: .refused,
                                  reason: decision.reason + " (deploy it to \(from) first, or pass --override-promotion REASON)")
        }
    }

    /// A run no rule guards: refused when it is production all the same (`PromotionRuleMismatch`),
    /// else nil; `--override-promotion` given for such a run is said to do nothing, not dropped.
    private static func unruled(_ plan: DeployPlan, override: String?) -> PromotionCheck? {
        if let mismatch = PromotionRuleMismatch(plan) {
            if let override {
                return PromotionCheck(environment: plan.environment, from: mismatch.from, decision: .overridden, reason: mismatch.reason, overrideReason: override)
            }
            return PromotionCheck(environment: plan.environment, from: mismatch.from, decision: .refused,
                                  reason: mismatch.reason + " (or pass --override-promotion REASON)")
        }
        if override != nil {
            let why = plan.promotionRules.isEmpty ? "the playbook has no promotion: policy"
                : "the playbook's promotion: has no rule for environment '\(plan.environment)' (rules: \(plan.promotionRules.keys.sorted().joined(separator: ", ")))"
            TerminalOutput().err("warning: --override-promotion does nothing here: \(why); nothing is overridden or recorded")
        }
        return nil
    }

    private static func decide(plan: DeployPlan, from: String, location: LedgerLocation) async -> (allowed: Bool, reason: String) {
        guard let store = location.open(forWriting: false) else {
            return (false, "the ledger is off (--ledger none), so nothing shows this artifact promoted in \(from)")
        }
        do {
            let records = try await store.records(LedgerQuery(app: plan.app, environment: from))
            await store.close()
            let decision = PromotionGate.decide(records: records, app: plan.app, sha256: plan.artifactSHA256, from: from, soak: plan.promotionSoak)
            return (decision.allowed, decision.reason)
        } catch {
            await store.close()
            return (false, "cannot read the ledger \(location) to see what \(from) promoted: \(error.message)")
        }
    }
}

/// The environment of a verb's inventory and `--environment`; a conflict or a broken inventory
/// ends the verb with its exit code (64 or 65) and the message.
enum EnvironmentResolution {
    static func resolve(_ settings: ConnectionSettings) async throws -> String {
        do {
            return try await FleetEnvironment.resolve(settings)
        } catch {
            TerminalOutput().err(error.description)
            throw ExitCode(error.exitCode)
        }
    }

    /// For verbs that record nothing: `--environment`, when given, must still agree with the
    /// inventory (a setting that disagrees is refused, never dropped).
    static func check(_ settings: ConnectionSettings) async throws {
        guard settings.environment != nil else { return }
        _ = try await resolve(settings)
    }
}
