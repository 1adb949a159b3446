import Diagnostics
import Foundation
import Release
import Testing

@Suite struct PlaybookLoaderTests {
    let full = """
        app: web
        deploy_root: /srv/web
        artifact: ../build/web-1.4.2.tar.gz
        version: 1.4.2
        keep_releases: 3
        shared: [log, config/app.env]
        strategy: { rolling: { batch: 25% } }
        parallel: 20
        max_failures: 10%
        timeouts: { upload: 1m30s, hook: 500ms }
        hooks:
          before_switch: ./bin/migrate
          activate: ./bin/restart
        health:
          - command: curl -fsS http://localhost:8080/health
            retries: 10
            interval: 2s
          - http: http://{{ address }}:8080/health
            timeout: 2s
            status: 200
          - tcp: "{{address}}:8080"
        rollback: fast
        """

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

    @Test func loadsEveryKey() throws {
        let scratch = Scratch()
        let path = scratch.write("Playbooks/web.yml", full)
        scratch.write("Rollback/fast.yml", "triggers: [health]\nscope: wave\nparallel: 5\nchecks:\n  - command: test -L current\n")
        let playbook = try PlaybookLoader.load(path)
        #expect(playbook.app == "web")
        #expect(playbook.deployRoot == "/srv/web")
        #expect(playbook.artifactPath == scratch.path + "/Playbooks/../build/web-1.4.2.tar.gz")
        #expect(playbook.version == "1.4.2")
        #expect(playbook.keepReleases == 3)
        #expect(playbook.shared == ["log", "config/app.env"])
        #expect(playbook.strategy == .rolling(batch: .percent(25)))
        #expect(playbook.parallel == 20)
        #expect(playbook.maxFailures == .percent(10))
        #expect(playbook.timeouts == PlaybookTimeouts(upload: .seconds(90), hook: .milliseconds(500)))
        #expect(playbook.hooks == Hooks(beforeSwitch: "./bin/migrate", activate: "./bin/restart"))
        #expect(playbook.health.count == 3)
        #expect(playbook.health[0].retries == 10)
        #expect(playbook.health[0].interval == .seconds(2))
        #expect(playbook.health[1].timeout == .seconds(2))
        if case .http(let url, let status) = playbook.health[1].kind {
            #expect(url.placeholders == ["address"])
            #expect(status == 200)
        } else {
            Issue.record("expected an http check")
        }
        #expect(playbook.health[2].location?.line == 21)
        #expect(playbook.rollbackPolicyName == "fast")

        let policy = try PlaybookLoader.loadRollbackPolicy(named: "fast", for: playbook)
        #expect(policy == RollbackPolicy(name: "fast", triggers: [.health], scope: .wave, parallel: 5, checks: policy.checks))
        #expect(policy.checks.count == 1)
    }

    @Test func defaults() throws {
        let scratch = Scratch()
        let path = scratch.write("p.yml", "app: web\ndeploy_root: /srv/web\n")
        let playbook = try PlaybookLoader.load(path)
        #expect(playbook.artifactPath == nil)
        #expect(playbook.keepReleases == 5)
        #expect(playbook.strategy == .allAtOnce)
        #expect(playbook.parallel == 50)
        #expect(playbook.maxFailures == .count(0))
        #expect(playbook.timeouts == PlaybookTimeouts(upload: .seconds(600), hook: .seconds(300)))
        #expect(try PlaybookLoader.rollbackPolicy(for: playbook) == .standard)
        #expect(!playbook.preserveArtifactModes)
    }

    @Test func artifactModes() throws {
        let scratch = Scratch()
        for (value, preserve) in [("preserve", true), ("safe", false)] {
            let path = scratch.write("m.yml", "app: web\ndeploy_root: /srv/web\nartifact_modes: \(value)\n")
            #expect(try PlaybookLoader.load(path).preserveArtifactModes == preserve)
        }
        #expect(errors("app: web\ndeploy_root: /srv/web\nartifact_modes: presrve\n") == [
            "Playbooks/p.yml:3:17: error: unknown artifact_modes 'presrve' (expected safe or preserve) (did you mean 'preserve'?)\nartifact_modes: presrve\n                ^",
        ])
        #expect(errors("app: web\ndeploy_root: /srv/web\nartifact_modes: [preserve]\n").first?.hasPrefix("Playbooks/p.yml:3:17: error: expected a string for 'artifact_modes'") == true)
    }

    @Test func strategies() throws {
        let scratch = Scratch()
        let cases: [(String, Strategy)] = [
            ("all-at-once", .allAtOnce), ("rolling", .rolling(batch: .count(1))), ("{ rolling: { batch: 3 } }", .rolling(batch: .count(3))),
            ("canary", .canary), ("{ canary: { steps: [ { hosts: 2, bake: 30s }, { percent: 100 } ] } }",
                                  .canary(CanaryPlan(steps: [CanaryStep(size: .count(2), bake: .seconds(30)), CanaryStep(size: .percent(100))]))),
            ("blue-green", .blueGreen), ("{ blue-green: { batch: 50%, bake: 5s } }", .blueGreen(BlueGreenPlan(batch: .percent(50), bake: .seconds(5)))),
        ]
        for (text, expected) in cases {
            let path = scratch.write("s.yml", "app: web\ndeploy_root: /srv/web\nstrategy: \(text)\nhooks: { start: ./start, switch: ./switch }\n")
            #expect(try PlaybookLoader.load(path).strategy == expected)
        }
    }

    @Test func reportsEveryMistakeWithLocation() {
        let found = errors("""
            app: -web
            deploy_root: /srv/../web/
            keep_releses: 5
            keep_releases: 1
            shared: [/etc, ../x, ok]
            strategy: { rolling: { batch: 0% } }
            max_failures: 120%
            timeouts: { upload: 1x, hok: 5m }
            hooks: { activate: "", after_swtich: ./x }
            health:
              - command: echo {{ hots }}
              - http: http://{{ address }}/ok
                timeout: -1s
                retry: 3
            """)
        #expect(found.count == 15, "\(found.joined(separator: "\n"))")
        #expect(found.contains { $0.hasPrefix("Playbooks/p.yml:1:6: error: invalid app name '-web'") })
        #expect(found.contains { $0.hasPrefix("Playbooks/p.yml:2:14: error: invalid deploy_root '/srv/../web/'") })
        #expect(found.contains("Playbooks/p.yml:3:1: error: unknown key 'keep_releses' (did you mean 'keep_releases'?)\nkeep_releses: 5\n^"))
        #expect(found.contains { $0.hasPrefix("Playbooks/p.yml:4:16: error: 'keep_releases' must be at least 2, found 1") })
        #expect(found.contains { $0.hasPrefix("Playbooks/p.yml:5:10: error: invalid shared path '/etc'") })
        #expect(found.contains { $0.hasPrefix("Playbooks/p.yml:5:16: error: invalid shared path '../x'") })
        #expect(found.contains { $0.hasPrefix("Playbooks/p.yml:6:31: error: invalid percentage '0%' for 'batch' (expected 1%..100%)") })
        #expect(found.contains { $0.hasPrefix("Playbooks/p.yml:7:15: error: invalid percentage '120%'") })
        #expect(found.contains { $0.hasPrefix("Playbooks/p.yml:8:21: error: invalid duration '1x'") })
        #expect(found.contains { $0.hasPrefix("Playbooks/p.yml:8:25: error: unknown key 'hok' in timeouts (did you mean 'hook'?)") })
        #expect(found.contains { $0.hasPrefix("Playbooks/p.yml:9:20: error: hook 'activate' must not be empty") })
        #expect(found.contains { $0.hasPrefix("Playbooks/p.yml:9:24: error: unknown key 'after_swtich' in hooks (did you mean 'after_switch'?)") })
        #expect(found.contains { $0.hasPrefix("Playbooks/p.yml:11:14: error: unknown placeholder 'hots' (expected host, address, slot, slot_port or vars.NAME) (did you mean 'host'?)") })
        #expect(found.contains { $0.hasPrefix("Playbooks/p.yml:13:14: error: invalid duration '-1s'") })
        #expect(found.contains { $0.hasPrefix("Playbooks/p.yml:14:5: error: unknown key 'retry' in a health check") })
    }

    /// `"\033[1m"` in a double-quoted YAML string is NUL followed by `33[1m`: sshd refuses such
    /// an exec request, so the loader does, naming the place and the usual cause.
    @Test func controlBytesInCommandsAreDiagnostics() {
        let found = errors("""
            app: web
            deploy_root: /srv/web
            hooks: { activate: "printf '\\033[1mok'" }
            health:
              - command: "echo \\x07bell"
              - command: "printf 'a\\tb\\nc'"
            smoke:
              - command: 'printf "\\033[1mok"'
            """)
        #expect(found.count == 2, "\(found.joined(separator: "\n"))")
        #expect(found.contains { $0.hasPrefix("Playbooks/p.yml:3:20: error: 'hooks.activate' contains a NUL byte, which no command can hold") && $0.contains("\\x1b") })
        #expect(found.contains { $0.hasPrefix("Playbooks/p.yml:5:14: error: 'command' contains the control character U+0007") }, "\(found)")
    }

    @Test func missingRequiredKeysAndWrongTypes() {
        let found = errors("parallel: many\nhealth: {command: x}\nstrategy: rollin\n")
        #expect(found.contains { $0.contains("missing required key 'app'") })
        #expect(found.contains { $0.contains("missing required key 'deploy_root'") })
        #expect(found.contains { $0.hasPrefix("Playbooks/p.yml:1:11: error: expected an integer for 'parallel', found a string") })
        #expect(found.contains { $0.hasPrefix("Playbooks/p.yml:2:9: error: expected a sequence for 'health', found a mapping") })
        #expect(found.contains { $0.hasPrefix("Playbooks/p.yml:3:11: error: unknown strategy 'rollin'") && $0.contains("did you mean 'rolling'") })
    }

    @Test func syntaxErrorsAndZeroTimeouts() {
        let syntax = errors("app: web\ndeploy_root: [/srv\n")
        #expect(syntax.count == 1)
        #expect(syntax.first?.hasPrefix("Playbooks/p.yml:") == true && syntax.first?.contains("invalid YAML") == true)
        let zero = errors("app: web\ndeploy_root: /srv/web\ntimeouts: { hook: 0s }\nhealth:\n  - tcp: a:1\n    interval: 0s\n")
        #expect(zero == ["Playbooks/p.yml:3:19: error: 'timeouts.hook' must be longer than zero\ntimeouts: { hook: 0s }\n                  ^"])
    }

    @Test func rollbackPolicyNotFoundPointsAtValue() {
        let found = errors("app: web\ndeploy_root: /srv/web\nrollback: fastest\n")
        #expect(found.count == 1)
        #expect(found.first?.hasPrefix("Playbooks/p.yml:3:11: error: rollback policy 'fastest' not found") == true)
    }

    @Test func rollbackPolicyMistakes() {
        let scratch = Scratch()
        let path = scratch.write("Playbooks/p.yml", "app: web\ndeploy_root: /srv/web\nrollback: bad\n")
        scratch.write("Rollback/bad.yml", "triggers: [helth, hook]\nscope: everything\nchecks:\n  - tcp: nope\nparalel: 3\n")
        do {
            let playbook = try PlaybookLoader.load(path)
            _ = try PlaybookLoader.loadRollbackPolicy(named: "bad", for: playbook)
            Issue.record("expected diagnostics")
        } catch {
            let found = error.errors.map { $0.rendered.replacingOccurrences(of: scratch.path + "/", with: "") }
            #expect(found.count == 4)
            #expect(found.contains { $0.hasPrefix("Rollback/bad.yml:1:12: error: unknown rollback trigger 'helth'") && $0.contains("did you mean 'health'") })
            #expect(found.contains { $0.hasPrefix("Rollback/bad.yml:2:8: error: unknown rollback scope 'everything'") })
            #expect(found.contains { $0.hasPrefix("Rollback/bad.yml:4:10: error: 'tcp' must be 'host:port'") })
            #expect(found.contains { $0.hasPrefix("Rollback/bad.yml:5:1: error: unknown key 'paralel' (did you mean 'parallel'?)") })
        }
    }

    @Test func healthCheckShapeMistakes() {
        let found = errors("""
            app: web
            deploy_root: /srv/web
            health:
              - retries: 1
              - command: x
                http: http://a/
              - tcp: nohost
              - http: ftp://a/
              - command: x
                status: 200
            """)
        #expect(found.count == 5)
        #expect(found.contains { $0.hasPrefix("Playbooks/p.yml:4:5: error: a health check needs one of") })
        #expect(found.contains { $0.hasPrefix("Playbooks/p.yml:6:5: error: a health check has both 'command' and 'http'") })
        #expect(found.contains { $0.hasPrefix("Playbooks/p.yml:7:10: error: 'tcp' must be 'host:port'") })
        #expect(found.contains { $0.hasPrefix("Playbooks/p.yml:8:11: error: 'http' must be an http:// or https:// URL") })
        #expect(found.contains { $0.hasPrefix("Playbooks/p.yml:10:5: error: 'status' only applies to 'http' checks") })
    }

    @Test func exampleFilesLoad() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
        let demo = try PlaybookLoader.load(root + "/Playbooks/demo.yml")
        #expect(demo.hooks.activate == "./bin/start")
        #expect(demo.kpis.map(\.name) == ["error_rate"])
        let blueGreen = try PlaybookLoader.load(root + "/Playbooks/blue-green.yml")
        #expect(blueGreen.strategy == .blueGreen(BlueGreenPlan(batch: .percent(50))))
        #expect(blueGreen.slots == SlotPorts(blue: 8001, green: 8002))
        let playbook = try PlaybookLoader.load(root + "/Playbooks/web.yml")
        #expect(playbook.strategy == .rolling(batch: .percent(25)))
        let policy = try PlaybookLoader.rollbackPolicy(for: playbook)
        #expect(policy.scope == .all)
        #expect(policy.triggers == [.health, .hook, .smoke, .kpi])
        #expect(policy.checks.isEmpty)  // the playbook's health checks verify the rollback
    }
}
