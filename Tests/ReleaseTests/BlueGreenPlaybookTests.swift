import Diagnostics
import Testing
@testable import Release

@Suite("Blue/green in playbooks")
struct BlueGreenPlaybookTests {
    @Test func slotsHooksAndPlanLoad() throws {
        let scratch = Scratch()
        let path = scratch.write("p.yml", """
        app: web
        deploy_root: /srv/web
        strategy:
          blue-green:
            batch: 2
            bake: 10s
            analysis: [errors]
        slots:
          blue: { port: 8001 }
          green: { port: 8002 }
        hooks:
          start: ./bin/start
          switch: ./bin/switch
        health:
          - http: "http://{{ address }}:{{ slot_port }}/health"
        kpis:
          errors:
            command: cat errors
            max: 1
        """)
        let playbook = try PlaybookLoader.load(path)
        #expect(playbook.strategy == .blueGreen(BlueGreenPlan(batch: .count(2), bake: .seconds(10), analysis: ["errors"])))
        #expect(playbook.slots == SlotPorts(blue: 8001, green: 8002))
        #expect(playbook.hooks.start == "./bin/start")
        #expect(playbook.hooks.switchTraffic == "./bin/switch")
    }

    @Test func reportsMissingHooksBadSlotsAndUnknownKPIs() {
        let scratch = Scratch()
        let path = scratch.write("p.yml", """
        app: web
        deploy_root: /srv/web
        strategy:
          blue-green: { batch: 0, analysis: [erors] }
        slots:
          blue: { port: 8001 }
          green: { port: 70000 }
          purple: { port: 1 }
        kpis:
          errors: { command: cat errors, max: 1 }
        """)
        do {
            _ = try PlaybookLoader.load(path)
            Issue.record("loaded")
        } catch {
            let text = error.diagnostics.map(\.rendered).joined(separator: "\n")
            #expect(text.contains("p.yml:4:24: error: 'blue-green.batch' must be at least 1"), "\(text)")
            #expect(text.contains("p.yml:7:18: error: invalid port 70000 for slot green (expected 1..65535)"), "\(text)")
            #expect(text.contains("p.yml:8:3: error: unknown key 'purple'"), "\(text)")
        }
        let second = scratch.write("q.yml", """
        app: web
        deploy_root: /srv/web
        strategy:
          blue-green: { analysis: [erors] }
        kpis:
          errors: { command: cat errors, max: 1 }
        """)
        do {
            _ = try PlaybookLoader.load(second)
            Issue.record("loaded")
        } catch {
            let text = error.diagnostics.map(\.rendered).joined(separator: "\n")
            #expect(text.contains("q.yml:4:3: error: strategy blue-green needs 'hooks.start'"), "\(text)")
            #expect(text.contains("q.yml:4:3: error: strategy blue-green needs 'hooks.switch'"), "\(text)")
            #expect(text.contains("analysis names KPI 'erors', which 'kpis' does not define (did you mean 'errors'?)"), "\(text)")
        }
    }

    @Test func samePortForBothSlotsIsRefused() {
        let scratch = Scratch()
        let path = scratch.write("p.yml", """
        app: web
        deploy_root: /srv/web
        slots: { blue: { port: 8001 }, green: { port: 8001 } }
        """)
        #expect(throws: DiagnosticError.self) { try PlaybookLoader.load(path) }
    }

    @Test func slotPlaceholdersRenderOnlyForASlot() throws {
        let template = try Template(parsing: "http://{{ address }}:{{ slot_port }}/health?slot={{ slot }}")
        let host = TemplateValues(host: "h1", address: "10.0.0.1")
        #expect(try template.render(host.about(slot: .green, port: 8002)) == "http://10.0.0.1:8002/health?slot=green")
        #expect(throws: TemplateError.self) { try template.render(host) }
        #expect(throws: TemplateError.self) { try template.render(host.about(slot: .blue, port: nil)) }
    }
}
