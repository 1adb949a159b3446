@testable import Release
import Testing

@Suite struct PlaybookPathTests {
    @Test func bareNamesLiveInPlaybooks() {
        #expect(PlaybookLoader.playbookPath(for: "web") == "Playbooks/web.yml")
        #expect(PlaybookLoader.playbookPath(for: "deploy/web.yml") == "deploy/web.yml")
        #expect(PlaybookLoader.playbookPath(for: "web.yaml") == "web.yaml")
    }

    @Test func standardPolicyIsBuiltIn() throws {
        let scratch = Scratch()
        let path = scratch.write("Playbooks/p.yml", "app: web\ndeploy_root: /srv/web\nrollback: standard\n")
        let playbook = try PlaybookLoader.load(path)
        // Without a sibling Rollback/ directory the working directory's Rollback/standard.yml (or the built-in) applies.
        let fallback = try PlaybookLoader.rollbackPolicy(for: playbook)
        #expect(fallback.triggers == [.health, .hook, .smoke, .kpi])
        #expect(fallback.scope == .all)
        scratch.write("Rollback/standard.yml", "scope: host\n")
        #expect(try PlaybookLoader.rollbackPolicy(for: playbook).scope == .host)
    }

    @Test func policyByPathRelativeToPlaybook() throws {
        let scratch = Scratch()
        let path = scratch.write("deploy/p.yml", "app: web\ndeploy_root: /\nrollback: policies/quick.yml\n")
        scratch.write("deploy/policies/quick.yml", "triggers: [kpi, smoke]\nscope: wave\n")
        let policy = try PlaybookLoader.rollbackPolicy(for: try PlaybookLoader.load(path))
        #expect(policy.name == "quick")
        #expect(policy.triggers == [.kpi, .smoke])
    }
}
