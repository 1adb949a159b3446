import Diagnostics
import Foundation
import Release
import Testing

/// `hooks.migrate`: a command, or `{ command, on, timeout }`; mistakes are `file:line:col` errors.
@Suite struct MigrationPlaybookTests {
    func load(_ hooks: String) throws(DiagnosticError) -> Playbook {
        let scratch = Scratch()
        let path = scratch.write("Playbooks/p.yml", "app: web\ndeploy_root: /srv/web\nhooks:\n" + hooks)
        return try PlaybookLoader.load(path)
    }

    func errors(_ hooks: String) -> [String] {
        do {
            _ = try load(hooks)
            return []
        } catch {
            return error.errors.map(\.rendered)
        }
    }

    @Test func aCommandOrAMapping() throws {
        let plain = try load("  migrate: ./bin/migrate\n  activate: ./bin/restart\n")
        #expect(plain.hooks.migrate?.command == "./bin/migrate")
        #expect(plain.hooks.migrate?.on == nil)
        #expect(plain.hooks.migrate?.timeout == nil)
        #expect(plain.hooks.migrate?.location?.line == 4)
        #expect(plain.hooks.activate == "./bin/restart")

        let full = try load("  migrate: { command: ./bin/migrate --all, on: db-1, timeout: 30m }\n")
        #expect(full.hooks.migrate?.command == "./bin/migrate --all")
        #expect(full.hooks.migrate?.on == "db-1")
        #expect(full.hooks.migrate?.timeout == .seconds(1800))

        let none = try load("  activate: ./bin/restart\n")
        #expect(none.hooks.migrate == nil)
    }

    @Test func mistakesAreReportedWhereTheyAre() {
        #expect(errors("  migrate: \"\"\n").contains { $0.contains("p.yml:4:12: error: hook 'migrate' must not be empty") })
        #expect(errors("  migrate: { on: db }\n").contains { $0.contains("p.yml:4:12: error: hooks.migrate needs 'command'") })
        #expect(errors("  migrate: { command: x, onn: db }\n").contains { $0.contains("unknown key 'onn' in hooks.migrate (did you mean 'on'?)") })
        #expect(errors("  migrate: { command: x, on: 'db;rm -rf /' }\n").contains { $0.contains("invalid hooks.migrate.on 'db;rm -rf /'") })
        #expect(errors("  migrate: { command: x, timeout: 0s }\n").contains { $0.contains("p.yml:4:35:") })
        #expect(errors("  migrate: [a]\n").contains { $0.contains("p.yml:4:12:") })
    }
}
