import Diagnostics
import Foundation
import Release
import Testing

/// `distribution: relay` and `relay: { seeds, fanout }`: defaults, overrides, and every mistake a
/// `file:line:col` diagnostic.
@Suite struct RelaySettingsTests {
    @Test func relayAndItsShapeAreRead() throws {
        let scratch = Scratch()
        let tuned = try PlaybookLoader.load(scratch.write("Playbooks/web.yml", """
            app: web
            deploy_root: /srv/web
            distribution: relay
            relay: { seeds: 3, fanout: 4 }
            """))
        #expect(tuned.distribution == .relay)
        #expect(tuned.relay == RelaySettings(seeds: 3, fanout: 4))

        let plain = try PlaybookLoader.load(scratch.write("Playbooks/plain.yml", "app: web\ndeploy_root: /srv/web\ndistribution: relay\nrelay: { fanout: 1 }\n"))
        #expect(plain.relay == RelaySettings(seeds: 2, fanout: 1), "an absent key keeps its default")
        #expect(try PlaybookLoader.load(scratch.write("Playbooks/d.yml", "app: web\ndeploy_root: /srv/web\n")).relay == RelaySettings())
    }

    @Test func mistakesAreDiagnostics() {
        let found = errors("""
            app: web
            deploy_root: /srv/web
            distribution: rely
            relay: { seeds: 0, fanout: 17, depth: 3 }
            """)
        #expect(found.count == 4, "\(found.joined(separator: "\n"))")
        #expect(found.contains { $0.hasPrefix("Playbooks/p.yml:3:15: error: unknown distribution 'rely' (expected direct, pull or relay)") && $0.contains("relay") })
        #expect(found.contains { $0.hasPrefix("Playbooks/p.yml:4:17: error: 'relay.seeds' must be at least 1, found 0") })
        #expect(found.contains { $0.hasPrefix("Playbooks/p.yml:4:28: error: 'relay.fanout' must be at most 16, found 17") })
        #expect(found.contains { $0.hasPrefix("Playbooks/p.yml:4:32: error: unknown key 'depth'") })

        let scalar = errors("app: web\ndeploy_root: /srv/web\nrelay: 3\n")
        #expect(scalar.count == 1 && scalar[0].hasPrefix("Playbooks/p.yml:3:8: error:"), "\(scalar)")
        let text = errors("app: web\ndeploy_root: /srv/web\nrelay: { seeds: many }\n")
        #expect(text.count == 1 && text[0].hasPrefix("Playbooks/p.yml:3:17: error:"), "\(text)")
    }

    func errors(_ text: String, file: String = "Playbooks/p.yml") -> [String] {
        let scratch = Scratch()
        let path = scratch.write(file, text)
        do {
            _ = try PlaybookLoader.load(path)
            return []
        } catch {
            return error.errors.map { $0.rendered.replacingOccurrences(of: scratch.path + "/", with: "") }
        }
    }
}
