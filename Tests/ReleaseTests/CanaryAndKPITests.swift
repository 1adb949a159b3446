import Analysis
import Diagnostics
import Testing
@testable import Release

@Suite("Canary steps and KPIs in playbooks")
struct CanaryAndKPITests {
    @Test func kpisAndStepsLoad() throws {
        let scratch = Scratch()
        let path = scratch.write("p.yml", """
        app: web
        deploy_root: /srv/web
        strategy:
          canary:
            steps:
              - hosts: 1
                bake: 1m
                analysis: [errors]
              - percent: 100
        kpis:
          errors:
            prometheus: { url: "http://localhost:9090", query: 'rate(errors{instance="{{ address }}"}[1m])' }
            max: 0.05
            max_increase: 20%
            direction: increase
            critical: true
            no_data: fail
          latency:
            http: { url: "http://{{ address }}:8080/stats", path: latency.p99 }
            interval: 2s
            weight: 2
        """)
        let playbook = try PlaybookLoader.load(path)
        guard case .canary(let plan) = playbook.strategy else { Issue.record("not a canary"); return }
        #expect(plan.steps == [CanaryStep(size: .count(1), bake: .seconds(60), analysis: ["errors"]), CanaryStep(size: .percent(100))])
        #expect(playbook.kpis.map(\.name) == ["errors", "latency"])
        let errors = playbook.kpis[0]
        #expect(errors.rule.max == 0.05)
        #expect(errors.rule.maxIncrease == 0.2)
        #expect(errors.rule.critical)
        #expect(errors.rule.noData == .fail)
        #expect(errors.rule.direction == .increase)
        #expect(playbook.kpis[1].interval == .seconds(2))
        #expect(playbook.kpis[1].rule.weight == 2)
        #expect(playbook.kpis[1].rule.direction == .increase)
    }

    @Test func mistakesAreDiagnostics() throws {
        let scratch = Scratch()
        let path = scratch.write("p.yml", """
        app: web
        deploy_root: /srv/web
        strategy:
          canary:
            steps:
              - percent: 150
              - hosts: 1
                pause: later
        kpis:
          errors:
            command: echo 1
            max_increase: lots
            diretion: up
          empty: {}
        """)
        do {
            _ = try PlaybookLoader.load(path)
            Issue.record("a broken playbook loaded")
        } catch {
            let text = error.description
            #expect(text.contains("p.yml:6:18: error: invalid percentage '150'"))
            #expect(text.contains("p.yml:8:16: error: invalid pause 'later' (expected manual)"))
            #expect(text.contains("p.yml:12:19: error: invalid 'max_increase' 'lots'"))
            #expect(text.contains("p.yml:13:5: error: unknown key 'diretion'"))
            #expect(text.contains("KPI 'empty' needs one of 'command', 'prometheus' or 'http'"))
            #expect(!text.contains("needs 'hosts' or 'percent'"), "an invalid size was reported twice")
        }
    }
}
