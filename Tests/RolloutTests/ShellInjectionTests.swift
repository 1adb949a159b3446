import Foundation
import Rollout
import Testing
import TestSupport

/// Values that would run commands if they were pasted into a shell as they are: each is either
/// refused with a diagnostic before any host is touched, or reaches the host as data, byte for
/// byte. Every payload would `touch` a marker, on the host's /srv or in a directory both the hosts
/// and the orchestrator see; no marker may appear. A command the playbook does state touches a
/// marker too, so the test would see a payload that ran.
@Suite(.serialized) struct ShellInjectionTests {
    /// `MARK` is replaced by the shared marker directory.
    static let payloads = [
        "$(touch MARK/subst)",
        "`touch MARK/backtick`",
        "; touch MARK/semicolon",
        "'; touch MARK/single; '",
        "\"; touch MARK/double; \"",
        "line\ntouch MARK/newline\n",
        "| touch MARK/pipe",
        "&& touch MARK/and #",
        "ü🚀 $((6*7)) ${HOME} %s %n > MARK/redirect",
        "\\'$(touch MARK/backslash)\\'",
        "-n\u{7f}\t$IFS*",
    ]

    /// A YAML double-quoted scalar holding `text` exactly.
    static func yaml(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\u{7f}": out += "\\x7F"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    /// Fleet, marker directory (writable by the hosts' login user) and payload vars on every host.
    struct Setup {
        let fleet: TestFleet
        let fixture: DeployFixture
        let markers: String
        let payloads: [String]

        init(fleet: TestFleet) throws {
            self.fleet = fleet
            fixture = try DeployFixture(fleet: fleet)
            markers = fixture.directory + "/markers"
            try FileManager.default.createDirectory(atPath: markers, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o777])
            try FileManager.default.setAttributes([.posixPermissions: 0o777], ofItemAtPath: markers)
            let markers = markers
            payloads = ShellInjectionTests.payloads.map { $0.replacingOccurrences(of: "MARK", with: markers) }
            let vars = payloads.enumerated().map { "p\($0.offset): \(ShellInjectionTests.yaml($0.element))" }.joined(separator: ", ")
            var inventory = try String(contentsOfFile: fleet.inventoryPath, encoding: .utf8)
            for member in fleet.members {
                inventory = inventory.replacingOccurrences(of: "  \(member.name): { address:", with: "  \(member.name): { vars: { \(vars) }, address:")
            }
            try inventory.write(toFile: fleet.inventoryPath, atomically: true, encoding: .utf8)
        }

        /// `printf '%s\n' {{ vars.p0 }} {{ vars.p1 }} …`: one argument per payload.
        var echo: String {
            "printf '%s\\n' " + payloads.indices.map { "{{ vars.p\($0) }}" }.joined(separator: " ")
        }

        /// What `echo` writes when every payload stayed one argument.
        var echoed: String { payloads.map { $0 + "\n" }.joined() }

        /// Markers that appeared: in the shared directory or on any host's /srv.
        func markersFound() throws -> [String] {
            var found = try FileManager.default.contentsOfDirectory(atPath: markers).filter { $0 != "stated" }
            for member in fleet.members {
                let srv = try FileManager.default.contentsOfDirectory(atPath: member.srv)
                found += srv.filter { $0.hasPrefix("pwned") }.map { "\(member.name):/srv/\($0)" }
            }
            return found
        }

        func read(_ host: String, _ file: String) -> String? {
            try? String(contentsOfFile: fleet.member(host).srv + "/web/shared/" + file, encoding: .utf8)
        }
    }

    @Test func varsStayDataInEveryCommandThePlaybookRuns() async throws {
        try await TestFleet.with(hosts: 2) { fleet in
            let setup = try Setup(fleet: fleet)
            let fixture = setup.fixture
            let policy = fixture.directory + "/injection-policy.yml"
            try """
            triggers: [health, hook, smoke, kpi]
            scope: all
            checks:
              - command: \(Self.yaml(setup.echo + " > /srv/web/shared/checks"))
            """.write(toFile: policy, atomically: true, encoding: .utf8)
            let playbook = fixture.directory + "/injection.yml"
            try """
            app: web
            deploy_root: /srv/web
            shared: [log]
            strategy: { canary: { steps: [ { hosts: 1, bake: 1s }, { percent: 100 } ] } }
            stable_for: 0s
            hooks:
              activate: ./bin/restart
            health:
              - command: \(Self.yaml(setup.echo + " > /srv/web/shared/health && ./bin/health"))
                retries: 1
                interval: 100ms
            smoke:
              - command: \(Self.yaml(setup.echo + " > /srv/web/shared/smoke && touch \(setup.markers)/stated"))
              - command: \(Self.yaml(setup.echo + " > \(fixture.directory)/local-{{ host }}.txt"))
                run_on: local
            kpis:
              echoed:
                command: \(Self.yaml(setup.echo + " > /srv/web/shared/kpi; echo 1"))
                interval: 250ms
                max: 100
            rollback: \(policy)
            """.write(toFile: playbook, atomically: true, encoding: .utf8)

            // 1.0.0 everywhere (health, smoke on the host and locally), then 2.0.0 through a
            // canary bake (KPI commands), then an unhealthy 3.0.0 rolled back (the policy's checks).
            var first = fixture.request(playbook, artifact: try await fixture.artifact(version: "1.0.0"))
            first.strategy = .allAtOnce
            #expect(try await Deployment(first).run(events: { _ in }).outcome == .promoted)
            let v2 = try await Deployment(fixture.request(playbook, artifact: try await fixture.artifact(version: "2.0.0"))).run(events: { _ in })
            #expect(v2.outcome == .promoted)
            let log = DeployEventLog()
            let bad = try await fixture.artifact(version: "3.0.0", healthy: false)
            #expect(try await Deployment(fixture.request(playbook, artifact: bad)).run(events: log.sink).outcome == .rolledBack)

            // The stated command ran (so a payload that ran would have left its marker) ...
            #expect(FileManager.default.fileExists(atPath: setup.markers + "/stated"))
            // ... no payload did, and each reached its command as one argument, unchanged.
            let found = try setup.markersFound()
            #expect(found == [])
            // The canary (h1) failed 3.0.0 and was the one rolled back and checked.
            #expect(log.rollbacks == [["h1"]])
            #expect(setup.read("h1", "checks") == setup.echoed)
            for member in fleet.members {
                for file in ["health", "smoke", "kpi"] {
                    #expect(setup.read(member.name, file) == setup.echoed, "\(file) on \(member.name)")
                }
                let local = try? String(contentsOfFile: fixture.directory + "/local-\(member.name).txt", encoding: .utf8)
                #expect(local == setup.echoed, "local smoke for \(member.name)")
            }
            for member in fleet.members { #expect(fixture.current(member.name) == v2.release) }
        }
    }

    @Test func pathsInThePlaybookAreQuoted() async throws {
        // Shell operators the path rules allow (no whitespace, quotes, `$`, backquote, backslash):
        // taken literally, they only name odd directories.
        try await TestFleet.with(hosts: 1) { fleet in
            let setup = try Setup(fleet: fleet)
            let fixture = setup.fixture
            let root = "/srv/web;touch>/srv/pwned-root&&id|tee>>/srv/pwned-tee"
            let shared = ["log;touch>/srv/pwned-shared", "a&b|c<d>(e)"]
            let playbook = fixture.directory + "/paths.yml"
            try """
            app: web
            deploy_root: \(Self.yaml(root))
            shared: [\(shared.map(Self.yaml).joined(separator: ", "))]
            strategy: all-at-once
            stable_for: 0s
            hooks:
              activate: touch \(setup.markers)/stated
            health:
              - command: ./bin/health
            """.write(toFile: playbook, atomically: true, encoding: .utf8)
            let report = try await Deployment(fixture.request(playbook, artifact: try await fixture.artifact(version: "1.0.0"))).run(events: { _ in })
            #expect(report.outcome == .promoted, "\(report.reason ?? "") \(report.hosts.map { $0.detail ?? "" })")
            #expect(FileManager.default.fileExists(atPath: setup.markers + "/stated"))
            let found = try setup.markersFound()
            #expect(found == [])
            // The literal root holds the release, and the shared paths are links in it.
            let literal = fleet.member("h1").srv + String(root.dropFirst("/srv".count))
            let current = try FileManager.default.destinationOfSymbolicLink(atPath: literal + "/current")
            #expect(current.hasPrefix("releases/1.0.0-"))
            for path in shared {
                #expect((try? FileManager.default.destinationOfSymbolicLink(atPath: literal + "/current/" + path)) == root + "/shared/" + path)
            }
        }
    }

    @Test func versionsAndReleaseIDsWithShellCharactersAreRefusedBeforeAnyHost() async throws {
        try await TestFleet.with(hosts: 1) { fleet in
            let setup = try Setup(fleet: fleet)
            let fixture = setup.fixture
            let playbook = try fixture.playbook(strategy: "all-at-once")
            let artifact = try await fixture.artifact(version: "1.0.0")
            for version in ["1.0;touch", "$(touch)", "1.0\ntouch", "`id`", "1.0'", "ü1"] {
                var request = fixture.request(playbook, artifact: artifact)
                request.version = version
                await #expect(throws: (any Error).self, "version \(version.debugDescription)") {
                    _ = try await Deployment(request).run(events: { _ in })
                }
            }
            // A version taken from an artifact's file name is checked the same way.
            let named = fixture.directory + "/web-1.0;touch$(id).tar.gz"
            try FileManager.default.copyItem(atPath: artifact, toPath: named)
            await #expect(throws: (any Error).self) {
                _ = try await Deployment(fixture.request(playbook, artifact: named)).run(events: { _ in })
            }
            await #expect(throws: (any Error).self) {
                _ = try await FleetRollback(RollbackRequest(connection: fixture.request(playbook, artifact: artifact).connection,
                                                            playbook: playbook, target: "1.0.0-abcdef012345;touch")).run(events: { _ in })
            }
            // Nothing reached the host: no deploy root, no marker.
            #expect(!FileManager.default.fileExists(atPath: fleet.member("h1").srv + "/web"))
            let found = try setup.markersFound()
            #expect(found == [])
        }
    }
}
