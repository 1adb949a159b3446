import Diagnostics
import Foundation
import Release
import Testing

/// Files saved with Windows line endings read like LF files, and their mistakes point at the right
/// line and quote it without the `\r` (Swift reads "\r\n" as one Character, so a reader that splits
/// on "\n" sees a CRLF file as one line).
@Suite struct LineEndingTests {
    static func crlf(_ text: String) -> String { text.replacingOccurrences(of: "\n", with: "\r\n") }

    @Test func crlfPlaybookAndPolicyLoad() throws {
        let scratch = Scratch()
        let path = scratch.write("Playbooks/web.yml", Self.crlf("""
            app: web
            deploy_root: /srv/web
            artifact: ../build/web.tar.gz
            hooks:
              activate: ./bin/restart
            rollback: fast

            """))
        scratch.write("Rollback/fast.yml", Self.crlf("triggers: [health]\nscope: wave\nparallel: 5\n"))
        let playbook = try PlaybookLoader.load(path)
        #expect(playbook.app == "web")
        #expect(playbook.deployRoot == "/srv/web")
        let policy = try PlaybookLoader.loadRollbackPolicy(named: "fast", for: playbook)
        #expect(policy.parallel == 5)
    }

    @Test func crlfMistakesPointAtTheirLine() {
        let scratch = Scratch()
        let path = scratch.write("Playbooks/p.yml", Self.crlf("app: web\ndeploy_root: /srv/web\nkeep_releses: 5\n"))
        do {
            _ = try PlaybookLoader.load(path)
            Issue.record("a playbook with an unknown key loaded")
        } catch {
            let rendered = error.errors.map { $0.rendered.replacingOccurrences(of: scratch.path + "/", with: "") }
            #expect(rendered.contains("Playbooks/p.yml:3:1: error: unknown key 'keep_releses' (did you mean 'keep_releases'?)\nkeep_releses: 5\n^"), "\(rendered)")
        }
        scratch.write("Rollback/bad.yml", Self.crlf("triggers: [health]\nscope: wave\nparalel: 3\n"))
        let playbookPath = scratch.write("Playbooks/ok.yml", Self.crlf("app: web\ndeploy_root: /srv/web\nrollback: bad\n"))
        do {
            let playbook = try PlaybookLoader.load(playbookPath)
            _ = try PlaybookLoader.loadRollbackPolicy(named: "bad", for: playbook)
            Issue.record("a policy with an unknown key loaded")
        } catch {
            let rendered = error.errors.map { $0.rendered.replacingOccurrences(of: scratch.path + "/", with: "") }
            #expect(rendered.contains { $0.hasPrefix("Rollback/bad.yml:3:1: error: unknown key 'paralel'") && !$0.contains("\r") }, "\(rendered)")
        }
    }
}
