import Foundation
@testable import Rollout
import Testing
import TestSupport

/// Staging then production, as a team runs them: two inventories of real sshd hosts (whose
/// hosts share names, as fleets' often do) deploying one app into one ledger, SQLite or
/// PostgreSQL, under a playbook whose `promotion:` takes into production only what staging
/// promoted first.
@Suite("Environments and the promotion policy", .timeLimit(.minutes(6)))
struct PromotionPolicyTests {
    func objects(_ text: String) throws -> [[String: Any]] {
        try text.split(separator: "\n").map {
            try #require(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
    }

    /// The fleet's inventory under `environment: NAME`, written beside it.
    func inventory(_ fleet: TestFleet, environment: String) throws -> String {
        let path = fleet.directory + "/\(environment).yml"
        let text = try String(contentsOfFile: fleet.inventoryPath, encoding: .utf8)
        try ("environment: \(environment)\n" + text).write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// The fixture's playbook with a promotion policy, without its TCP check (the two fleets
    /// listen on ports of their own).
    func playbook(_ fixture: DeployFixture, soak: String, notify: String? = nil) throws -> String {
        let hook = notify.map { "\nnotify:\n  - url: \($0)\n    events: [finished]" } ?? ""
        let path = try fixture.playbook(strategy: "all-at-once", extra: "promotion:\n  production: { from: staging, soak: \(soak) }" + hook)
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        try lines.filter { !$0.contains("- tcp:") }.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// The releases on a host's disk.
    func releases(_ fleet: TestFleet, _ host: String) -> [String] {
        (try? FileManager.default.contentsOfDirectory(atPath: fleet.member(host).srv + "/web/releases")) ?? []
    }

    /// The rule for an inventory's environment and `--environment`, in memory.
    @Test func theEnvironmentIsTheInventorysOrTheOptionsAndTheyMustAgree() throws {
        #expect(try FleetEnvironment.resolve(named: "staging", at: "s.yml:1:14", option: nil) == "staging")
        #expect(try FleetEnvironment.resolve(named: nil, at: "hosts.ini", option: "production") == "production")  // Ansible
        #expect(try FleetEnvironment.resolve(named: "staging", at: "s.yml:1:14", option: "staging") == "staging")
        #expect(try FleetEnvironment.resolve(named: nil, at: "hosts.ini", option: nil) == "default")
        #expect(throws: RolloutError.self) { try FleetEnvironment.resolve(named: "staging", at: "s.yml:1:14", option: "production") }
        #expect(throws: RolloutError.self) { try FleetEnvironment.resolve(named: nil, at: "hosts.ini", option: "prod;rm") }
    }

    /// A production run whose environment no rule names, in memory: refused, never let through.
    @Test func aProductionRunNoRuleNamesIsAMismatch() {
        var plan = DeployPlan(app: "web", deployID: "d-1", release: "1.0.0-000000000000", artifactSHA256: "ab", strategy: "all-at-once",
                              waves: [["h1"]], maxFailures: 0, rollbackPolicy: "default")
        plan.promotionRules = ["production": "staging"]
        plan.environment = "prod"
        let named = PromotionRuleMismatch(plan)
        #expect(named?.from == "staging")
        #expect(named?.reason.contains("environment 'prod' is production but the playbook's promotion: has no rule for it (rules: production ← staging)") == true, "\(named?.reason ?? "")")
        plan.environment = "default"
        #expect(PromotionRuleMismatch(plan) == nil)  // nothing says it is production
        plan.productionHosts = ["h1"]
        #expect(PromotionRuleMismatch(plan)?.reason.contains("1 selected host is marked production (h1") == true)
        plan.environment = "production"
        plan.promotionFrom = "staging"
        #expect(PromotionRuleMismatch(plan) == nil)  // its rule applies
        plan.promotionFrom = nil
        plan.promotionRules = [:]
        #expect(PromotionRuleMismatch(plan) == nil)  // no policy at all
        plan.promotionRules = ["staging": "qa"]
        plan.environment = "staging"
        plan.productionHosts = []
        plan.promotionFrom = "qa"
        #expect(PromotionRuleMismatch(plan) == nil)
        plan.environment = "dev"
        plan.promotionFrom = nil
        #expect(PromotionRuleMismatch(plan) == nil)  // not production: no rule, no gate
    }

    @Test func aProductionRunThatMissesItsRuleByNameIsRefused() async throws {
        try await TestFleet.with(hosts: 1) { fleet in
            let fixture = try DeployFixture(fleet: fleet)
            let web = try playbook(fixture, soak: "0s")
            let artifact = try await fixture.artifact(version: "1.0.0")
            let ledger = fixture.directory + "/ledger.sqlite"
            func deploy(_ inventory: String, _ extra: [String]) async throws -> Shell.Result {
                try await Shell.runDetached([RepositoryPaths.cutoverExecutable, "deploy", web, "-i", inventory, "--ssh-config", "none",
                                             "--artifact", artifact, "--ledger", ledger] + extra)
            }
            func untouched() -> Bool { !FileManager.default.fileExists(atPath: fleet.member("h1").srv + "/web") }

            // `Production` does not silently miss the rule `production:`: it is refused where it is written.
            let capital = try await deploy(try inventory(fleet, environment: "Production"), ["--yes"])
            #expect(capital.status == 65, "\(capital.output)")
            #expect(capital.stderr.contains("Production.yml:1:14: error: invalid environment name 'Production'"), "\(capital.stderr)")
            #expect(capital.stderr.contains("write 'production'"), "\(capital.stderr)")
            let option = try await deploy(fleet.inventoryPath, ["--environment", "Production", "--yes"])
            #expect(option.status == 64, "\(option.output)")
            let history = try await Shell.runDetached([RepositoryPaths.cutoverExecutable, "history", "--ledger", ledger, "--environment", "Production"])
            #expect(history.status == 64, "\(history.output)")
            // `prod` is production, but the rule guards `production`: no alias, refused (exit 6),
            // nothing touched, and refused before the production confirmation is asked for.
            let prod = try await deploy(try inventory(fleet, environment: "prod"), [])
            #expect(prod.status == 6, "\(prod.output)")
            #expect(!prod.stderr.contains("pass --yes"), "\(prod.stderr)")
            #expect(prod.stderr.contains("environment 'prod' is production but the playbook's promotion: has no rule for it (rules: production ← staging)"), "\(prod.stderr)")
            #expect(untouched())
            // An inventory naming no environment (`default`) whose host is labelled env=production: refused too.
            let labelled = fleet.directory + "/labelled.yml"
            try String(contentsOfFile: fleet.inventoryPath, encoding: .utf8)
                .replacingOccurrences(of: "labels: { zone: a }", with: "labels: { zone: a, env: production }")
                .write(toFile: labelled, atomically: true, encoding: .utf8)
            let unnamed = try await deploy(labelled, [])
            #expect(unnamed.status == 6, "\(unnamed.output)")
            #expect(unnamed.stderr.contains("1 selected host is marked production (h1"), "\(unnamed.stderr)")
            #expect(unnamed.stderr.contains("the run's environment is 'default'"), "\(unnamed.stderr)")
            #expect(untouched())
            // Overriding it goes on and is recorded, like any refusal.
            let overridden = try await deploy(labelled, ["--yes", "--override-promotion", "hotfix INC-7"])
            #expect(overridden.status == 0, "\(overridden.output)")
            #expect(overridden.stderr.contains("OVERRIDDEN (hotfix INC-7)"), "\(overridden.stderr)")
            // --override-promotion where no rule applies (staging takes anything): a warning, not silence.
            let staged = try await deploy(try inventory(fleet, environment: "staging"), ["--override-promotion", "hotfix"])
            #expect(staged.status == 0, "\(staged.output)")
            #expect(staged.stderr.contains("warning: --override-promotion does nothing here: the playbook's promotion: has no rule for environment 'staging'"),
                    "\(staged.stderr)")
        }
    }

    @Test func anAnsibleInventoryGetsItsEnvironmentFromTheOption() async throws {
        // An INI inventory cannot name its environment: --environment does, and the production
        // confirmation follows it.
        try await TestFleet.with(hosts: 1) { fleet in
            let member = fleet.member("h1")
            let ini = fleet.directory + "/hosts.ini"
            try "[web]\nh1 ansible_host=\(member.address) ansible_port=\(member.port) ansible_user=\(fleet.user) ansible_ssh_private_key_file=\(fleet.identityPath)\n"
                .write(toFile: ini, atomically: true, encoding: .utf8)
            let fixture = try DeployFixture(fleet: fleet)
            let web = try playbook(fixture, soak: "0s")
            let artifact = try await fixture.artifact(version: "1.0.0")
            let ledger = fixture.directory + "/ledger.sqlite"
            // The fleet's ssh_config names its known_hosts file (UserKnownHostsFile).
            let base = [RepositoryPaths.cutoverExecutable, "deploy", web, "-i", ini, "--ssh-config", fleet.sshConfigPath, "--artifact", artifact, "--ledger", ledger]
            // (Overridden: a deploy the policy refuses is refused before the question.)
            let asked = try await Shell.runDetached(base + ["--environment", "production", "--override-promotion", "asked first"])
            #expect(asked.status == 64, "\(asked.output)")
            #expect(asked.stderr.contains("touches 1 production host (h1)"), "\(asked.stderr)")
            let staged = try await Shell.runDetached(base + ["--environment", "staging"])
            #expect(staged.status == 0, "\(staged.output)")
            let history = try objects(try await Shell.runDetached([RepositoryPaths.cutoverExecutable, "history", "--ledger", ledger, "--output", "json"]).stdout)
            #expect(history.map { $0["environment"] as? String } == ["staging"])
            // Without a ledger nothing shows the artifact promoted in staging: production refuses.
            let blind = try await Shell.runDetached(base.dropLast(2) + ["--ledger", "none", "--environment", "production", "--yes"])
            #expect(blind.status == 6, "\(blind.output)")
            #expect(blind.stderr.contains("the ledger is off (--ledger none), so nothing shows this artifact promoted in staging"), "\(blind.stderr)")
        }
    }

    @Test(arguments: ["sqlite", "postgres"])
    func anArtifactGoesToStagingThenProductionAndNothingElseDoes(ledgerKind: String) async throws {
        try await TestFleet.with(hosts: 2) { stagingFleet in
            try await TestFleet.with(hosts: 2) { productionFleet in
                let fixture = try DeployFixture(fleet: stagingFleet)
                let production = try DeployFixture(fleet: productionFleet)
                var server: PostgresServer?
                if ledgerKind == "postgres" {
                    try FileManager.default.createDirectory(atPath: fixture.directory + "/pg", withIntermediateDirectories: true)
                    server = try await PostgresServer.start(in: fixture.directory + "/pg")
                }
                defer { server?.stop() }
                let ledger = server?.url ?? fixture.directory + "/state/ledger.sqlite"
                func cutover(_ arguments: [String]) async throws -> Shell.Result {
                    try await Shell.runDetached([RepositoryPaths.cutoverExecutable] + arguments, environment: ["CUTOVER_LEDGER": ledger])
                }
                let staging = ["-i", try inventory(stagingFleet, environment: "staging"), "--ssh-config", "none"]
                let prod = ["-i", try inventory(productionFleet, environment: "production"), "--ssh-config", "none"]
                func version(_ fixture: DeployFixture, _ host: String) -> String? { fixture.current(host)?.split(separator: "-").first.map(String.init) }
                func productionUntouched() -> Bool {
                    productionFleet.members.allSatisfy { !FileManager.default.fileExists(atPath: $0.srv + "/web") }
                }
                let receiver = try WebhookReceiver()
                defer { receiver.stop() }
                var web = try playbook(fixture, soak: "1h", notify: receiver.url("/finished"))
                let v1 = try await fixture.artifact(version: "1.0.0")
                let v2 = try await fixture.artifact(version: "2.0.0")
                let v3 = try await fixture.artifact(version: "3.0.0")

                // `environment: production` needs the confirmation, like hosts labelled env=production
                // (overridden here: a deploy the policy refuses is refused before any question).
                let unconfirmed = try await cutover(["deploy", web] + prod + ["--artifact", v1, "--override-promotion", "asked first"])
                #expect(unconfirmed.status == 64)
                #expect(unconfirmed.stderr.contains("touches 2 production hosts (h1, h2)"), "\(unconfirmed.stderr)")
                // An inventory that names its environment is not deployed as another.
                let mismatch = try await cutover(["deploy", web] + staging + ["--artifact", v1, "--environment", "production", "--yes"])
                #expect(mismatch.status == 64)
                #expect(mismatch.stderr.contains("--environment production disagrees with the inventory, which names environment 'staging'"), "\(mismatch.stderr)")
                // So is every other verb's: a disagreeing --environment is refused, never ignored.
                let exec = try await cutover(["exec"] + staging + ["--environment", "production", "--yes", "--", "touch", "/srv/exec-ran"])
                #expect(exec.status == 64, "\(exec.output)")
                #expect(!FileManager.default.fileExists(atPath: stagingFleet.member("h1").srv + "/exec-ran"))
                #expect(try await cutover(["status", web] + staging + ["--environment", "production"]).status == 64)

                // Never in staging: refused with exit 6 before any production host is touched.
                let never = try await cutover(["deploy", web] + prod + ["--artifact", v1, "--yes", "--output", "json"])
                #expect(never.status == 6, "\(never.output)")
                #expect(never.stderr.contains("refused by the promotion policy: production takes only what staging promoted first"), "\(never.stderr)")
                #expect(never.stderr.contains("the ledger shows no deploy of this artifact"), "\(never.stderr)")
                let events = try objects(never.stdout)
                #expect(events.map { $0["event"] as? String } == ["started", "plan", "promotion", "finished"])
                #expect(events[1]["environment"] as? String == "production")
                #expect(events[2]["decision"] as? String == "refused" && events[2]["from"] as? String == "staging")
                #expect(events[3]["outcome"] as? String == "refused")
                let schema = try await EventSchemaValidator.validate(never.stdout)
                #expect(schema.valid, "\(schema.output)")
                #expect(productionUntouched())

                // Staging first; production then waits for the soak (1h), still untouched.
                #expect(try await cutover(["deploy", web] + staging + ["--artifact", v1]).status == 0)
                let soaking = try await cutover(["deploy", web] + prod + ["--artifact", v1, "--yes"])
                #expect(soaking.status == 6, "\(soaking.output)")
                #expect(soaking.stderr.contains("was promoted in staging on 2 hosts (h1, h2)"), "\(soaking.stderr)")
                #expect(soaking.stderr.contains("the policy asks it to soak 1h 00m there: eligible from"), "\(soaking.stderr)")
                #expect(productionUntouched())

                // With a soak of 1 s, once it has passed, production takes it.
                web = try playbook(fixture, soak: "1s", notify: receiver.url("/finished"))
                try await Task.sleep(for: .milliseconds(1100))
                let promoted = try await cutover(["deploy", web] + prod + ["--artifact", v1, "--yes"])
                #expect(promoted.status == 0, "\(promoted.output)")
                #expect(promoted.stderr.contains("promotion policy passed: 1.0.0-"), "\(promoted.stderr)")
                #expect(version(production, "h1") == "1.0.0" && version(production, "h2") == "1.0.0")
                // The finished notifications name each run's environment and outcome.
                let notes = receiver.requests.compactMap(\.json)
                #expect(notes.map { $0["environment"] as? String } == ["production", "staging", "production", "production"], "\(notes)")
                #expect(notes.map { $0["outcome"] as? String } == ["refused", "promoted", "refused", "promoted"], "\(notes)")

                // 2.0.0 goes to staging only; 3.0.0 never passed staging and is refused there.
                #expect(try await cutover(["deploy", web] + staging + ["--artifact", v2]).status == 0)
                let skipped = try await cutover(["deploy", web] + prod + ["--artifact", v3, "--yes"])
                #expect(skipped.status == 6, "\(skipped.output)")
                #expect(skipped.stderr.contains("staging last landed 2.0.0-"), "\(skipped.stderr)")
                for host in ["h1", "h2"] {
                    #expect(version(production, host) == "1.0.0")
                    #expect(!releases(productionFleet, host).contains { $0.hasPrefix("3.0.0-") }, "\(releases(productionFleet, host))")
                }
                #expect(((try? FileManager.default.contentsOfDirectory(atPath: productionFleet.member("h1").srv + "/web/.cutover/incoming")) ?? []).isEmpty)

                // An override goes on, and the ledger keeps who and why.
                let hotfix = try await cutover(["deploy", web] + prod + ["--artifact", v3, "--yes", "--override-promotion", "hotfix INC-42"])
                #expect(hotfix.status == 0, "\(hotfix.output)")
                #expect(hotfix.stderr.contains("promotion policy OVERRIDDEN (hotfix INC-42)"), "\(hotfix.stderr)")
                #expect(version(production, "h1") == "3.0.0")

                // Production's rollback goes to production's known-good release (1.0.0), not to
                // staging's newer 2.0.0, although both fleets have hosts named h1 and h2.
                let rollback = try await cutover(["rollback", web] + prod + ["--yes"])
                #expect(rollback.status == 0, "\(rollback.output)")
                #expect(rollback.stderr.contains("rollback to 1.0.0-"), "\(rollback.stderr)")
                #expect(version(production, "h1") == "1.0.0" && version(production, "h2") == "1.0.0")
                #expect(version(fixture, "h1") == "2.0.0" && version(fixture, "h2") == "2.0.0")

                // history, metrics and releases keep the environments apart.
                let productionHistory = try objects(try await cutover(["history", "web", "--environment", "production", "--output", "json"]).stdout)
                #expect(productionHistory.map { $0["kind"] as? String } == ["rollback", "deploy", "deploy", "deploy", "deploy", "deploy"])
                #expect(productionHistory.map { $0["outcome"] as? String } == ["promoted", "promoted", "refused", "promoted", "refused", "refused"])
                #expect(productionHistory.allSatisfy { $0["environment"] as? String == "production" })
                #expect(productionHistory[1]["promotion_override"] as? String == "hotfix INC-42")
                #expect(productionHistory[3]["promotion_override"] is NSNull)
                let stagingHistory = try objects(try await cutover(["history", "web", "--environment", "staging", "--output", "json"]).stdout)
                #expect(stagingHistory.map { $0["version"] as? String } == ["2.0.0", "1.0.0"])
                let table = try await cutover(["history", "web"])
                #expect(table.stdout.contains("ENVIRONMENT"))
                #expect(table.stdout.contains("promotion policy overridden by "), "\(table.stdout)")
                #expect(table.stdout.contains(": hotfix INC-42"), "\(table.stdout)")

                let stagingMetrics = try objects(try await cutover(["metrics", "web", "--environment", "staging", "--output", "json"]).stdout).first
                #expect(stagingMetrics?["environment"] as? String == "staging")
                #expect(stagingMetrics?["promoted_deploys"] as? Int == 2)
                #expect(stagingMetrics?["failed_changes"] as? Int == 0)
                let productionMetrics = try objects(try await cutover(["metrics", "web", "--environment", "production", "--output", "json"]).stdout).first
                #expect(productionMetrics?["promoted_deploys"] as? Int == 2)
                #expect(productionMetrics?["changes"] as? Int == 2, "refused deploys changed nothing")
                #expect(productionMetrics?["failed_changes"] as? Int == 1, "3.0.0 was rolled back by `cutover rollback`")

                let releasesRun = try await cutover(["releases", web, "--output", "json"])
                #expect(releasesRun.status == 0, "\(releasesRun.output)")
                let view = try #require(try objects(releasesRun.stdout).first)
                let environments = try #require(view["environments"] as? [[String: Any]])
                #expect(environments.map { $0["environment"] as? String } == ["staging", "production"])
                let stagingSummary = try #require(environments[0]["summary"] as? [[String: Any]])
                #expect(stagingSummary.count == 1 && stagingSummary[0]["hosts"] as? Int == 2)
                #expect((stagingSummary[0]["release"] as? String)?.hasPrefix("2.0.0-") == true)
                let productionHosts = try #require(environments[1]["hosts"] as? [[String: Any]])
                #expect(productionHosts.map { $0["host"] as? String } == ["h1", "h2"])
                #expect(productionHosts.allSatisfy { ($0["release"] as? String)?.hasPrefix("1.0.0-") == true })
                let next = try #require((environments[0]["promotes_to"] as? [[String: Any]])?.first)
                #expect(next["environment"] as? String == "production")
                let eligible = (next["eligible"] as? [[String: Any]] ?? []).compactMap { ($0["release"] as? String)?.split(separator: "-").first }
                #expect(eligible == ["2.0.0", "1.0.0"])
                let text = try await cutover(["releases", web])
                #expect(text.stdout.contains("staging: 2 on 2.0.0-"), "\(text.stdout)")
                #expect(text.stdout.contains("production: 2 on 1.0.0-"), "\(text.stdout)")
                #expect(text.stdout.contains("eligible for production (soak 1s): 2.0.0-"), "\(text.stdout)")
            }
        }
    }
}
