import Diagnostics
import Foundation
import Release
import Testing

/// `promotion:` in a playbook: rules read, every mistake reported where it was written.
@Suite struct PromotionPolicyParserTests {
    let head = "app: web\ndeploy_root: /srv/web\n"

    func load(_ text: String) throws(DiagnosticError) -> Playbook {
        let scratch = Scratch()
        return try PlaybookLoader.load(scratch.write("Playbooks/web.yml", head + text))
    }

    func errors(_ text: String) -> [String] {
        do {
            _ = try load(text)
            return []
        } catch {
            return error.errors.map { "\($0.location.map { "\($0.line):\($0.column): " } ?? "")\($0.message)" }
        }
    }

    @Test func rulesAreRead() throws {
        let playbook = try load("promotion:\n  production: { from: staging, soak: 30m }\n  staging: { from: qa }\n")
        #expect(playbook.promotion.rule(for: "production")?.from == "staging")
        #expect(playbook.promotion.rule(for: "production")?.soak == .seconds(1800))
        #expect(playbook.promotion.rule(for: "staging")?.soak == nil)
        #expect(playbook.promotion.rule(for: "qa") == nil)
        #expect(playbook.promotion.path(to: "production") == ["qa", "staging", "production"])
        #expect(playbook.promotion.next(after: "staging") == ["production"])
        #expect(try load("").promotion.rules.isEmpty)
    }

    @Test func mistakesAreReportedWhereTheyAre() {
        #expect(errors("promotion:\n  production: { from: production }\n")
            == ["4:23: 'promotion.production.from' names 'production' itself: an environment cannot be promoted from itself"])
        #expect(errors("promotion:\n  production: { soak: 5m }\n") == ["4:15: 'promotion.production' needs 'from' (the environment an artifact must pass first)"])
        #expect(errors("promotion:\n  production: { from: staging, sok: 5m }\n").first?.contains("unknown key 'sok'") == true)
        #expect(errors("promotion:\n  production: { from: staging, soak: soon }\n").first?.contains("invalid duration 'soon'") == true)
        #expect(errors("promotion:\n  \"prod uction\": { from: staging }\n").first?.contains("invalid environment name 'prod uction'") == true)
        let cycle = errors("promotion:\n  production: { from: staging }\n  staging: { from: production }\n")
        #expect(cycle.count == 2)
        #expect(cycle.first?.contains("promotion cycle: production ← staging ← production") == true, "\(cycle)")
    }
}
