import Diagnostics
import Fleet
import Foundation
import Testing

let sampleInventory = """
    defaults:            # connection settings every host inherits
      user: deploy
      port: 22
      identity_file: ~/.ssh/id_ed25519
      known_hosts: keys/known_hosts
      host_key_policy: strict
    hosts:
      web-1: { address: 10.0.0.11, labels: { zone: a } }
      web-2: { address: 10.0.0.12, port: 2222, jump: bastion, labels: { zone: b } }
      web-3: { address: 10.0.0.13, labels: { zone: a }, vars: { app_port: 9090 } }
      db-1: { address: 10.0.1.1, user: postgres, identity_file: [keys/db, /etc/keys/db2], labels: { zone: a } }
      bastion: { address: 203.0.113.5, host_key_policy: accept-new, host_key: "SHA256:abc" }
    groups:
      web: { hosts: [web-1, web-2, web-3], vars: { app_port: 8080, tier: front } }
      canary: { hosts: [web-1], vars: { tier: canary } }
      db: { hosts: [db-1] }
      backend: { children: [db], vars: { backup: true } }
    """

@Suite struct NativeInventoryTests {
    @Test func loadsHostsInFileOrderWithDefaults() throws {
        let directory = TemporaryDirectory()
        let inventory = try loadInventory(sampleInventory, in: directory)
        #expect(inventory.hosts.map(\.name) == ["web-1", "web-2", "web-3", "db-1", "bastion"])
        let web1 = try #require(inventory.host(named: "web-1"))
        #expect(web1.address == "10.0.0.11")
        #expect(web1.port == 22)
        #expect(web1.user == "deploy")
        #expect(web1.identityFiles == [homeDirectory + "/.ssh/id_ed25519"])
        #expect(web1.knownHostsFiles == [directory.path + "/keys/known_hosts"])
        #expect(web1.hostKeyPolicy == .strict)
        #expect(web1.labels == ["zone": "a"])
        #expect(web1.groups == ["web", "canary"])
        #expect(web1.jump == nil)
        #expect(inventory.host(named: "web-2")?.port == 2222)
        #expect(inventory.host(named: "nope") == nil)
        #expect(inventory.path.hasSuffix("inventory.yml"))
    }

    @Test func hostValuesOverrideDefaults() throws {
        let directory = TemporaryDirectory()
        let inventory = try loadInventory(sampleInventory, in: directory)
        let db = try #require(inventory.host(named: "db-1"))
        #expect(db.user == "postgres")
        #expect(db.identityFiles == [directory.path + "/keys/db", "/etc/keys/db2"])
        let bastion = try #require(inventory.host(named: "bastion"))
        #expect(bastion.hostKeyPolicy == .acceptNew)
        #expect(bastion.hostKey == "SHA256:abc")
        #expect(db.groups == ["db", "backend"])
    }

    @Test func groupVarsLaterGroupWinsHostVarsWin() throws {
        let inventory = try loadInventory(sampleInventory)
        #expect(inventory.host(named: "web-1")?.vars == ["app_port": .int(8080), "tier": .string("canary")])
        #expect(inventory.host(named: "web-2")?.vars == ["app_port": .int(8080), "tier": .string("front")])
        #expect(inventory.host(named: "web-3")?.vars["app_port"] == .int(9090))
        #expect(inventory.host(named: "db-1")?.vars == ["backup": .bool(true)])
    }

    @Test func groupsKeepMembersInFileOrderIncludingChildren() throws {
        let inventory = try loadInventory(sampleInventory)
        #expect(inventory.groups["web"]?.hosts == ["web-1", "web-2", "web-3"])
        #expect(inventory.groups["backend"]?.hosts == ["db-1"])
        #expect(inventory.groups["backend"]?.children == ["db"])
        #expect(inventory.groups["web"]?.vars["tier"] == .string("front"))
        #expect(inventory.groupOrder == ["web", "canary", "db", "backend"])
    }

    @Test func jumpChainIsResolved() throws {
        let inventory = try loadInventory(sampleInventory)
        let web2 = try #require(inventory.host(named: "web-2"))
        #expect(web2.jump == "bastion")
        #expect(inventory.jumpChain(for: web2).map(\.name) == ["bastion"])
        #expect(inventory.jumpChain(for: inventory.host(named: "web-1")!).isEmpty)
    }

    @Test func multiHopChainFirstHopFirst() throws {
        let inventory = try loadInventory("""
            hosts:
              app: { jump: inner }
              inner: { jump: outer }
              outer: {}
            """)
        let app = try #require(inventory.host(named: "app"))
        #expect(inventory.jumpChain(for: app).map(\.name) == ["outer", "inner"])
        #expect(app.address == "app")
    }

    @Test func defaultJumpSkipsTheJumpHostItself() throws {
        let inventory = try loadInventory("""
            defaults: { jump: bastion }
            hosts:
              web-1:
              bastion: { address: 203.0.113.5 }
            """)
        #expect(inventory.jumpChain(for: inventory.host(named: "web-1")!).map(\.name) == ["bastion"])
        #expect(inventory.host(named: "bastion")?.jump == nil)
        #expect(inventory.jumpChain(for: inventory.host(named: "bastion")!).isEmpty)
    }

    @Test func varsKeepTypes() throws {
        let inventory = try loadInventory("""
            hosts:
              a:
                vars: { n: 3, f: 1.5, b: false, s: "42", l: [1, x], m: { k: v } }
            """)
        let vars = try #require(inventory.host(named: "a")?.vars)
        #expect(vars["n"] == .int(3))
        #expect(vars["f"] == .double(1.5))
        #expect(vars["b"] == .bool(false))
        #expect(vars["s"] == .string("42"))
        #expect(vars["l"] == .list([.int(1), .string("x")]))
        #expect(vars["m"] == .map(["k": .string("v")]))
        #expect(vars["l"]?.description == "[1, x]")
        #expect(vars["m"]?.description == "{k: v}")
    }

    @Test func missingFileIsAnError() {
        #expect(throws: DiagnosticError.self) {
            try InventoryLoader.load(path: "/nonexistent/inventory.yml", sshConfigPath: "none")
        }
    }
}

@Suite struct NativeInventoryDiagnosticTests {
    @Test func unknownKeyRendersWithCaret() {
        let diagnostics = loadDiagnostics("""
            hosts:
              web-1: { adress: 10.0.0.11 }
            """, name: "prod.yml")
        #expect(diagnostics.count == 1)
        let rendered = diagnostics.first?.rendered ?? ""
        #expect(rendered.hasSuffix("""
            prod.yml:2:12: error: unknown key 'adress' in host 'web-1' (did you mean 'address'?)
              web-1: { adress: 10.0.0.11 }
                       ^
            """))
    }

    @Test func allMistakesAreCollected() {
        let diagnostics = loadDiagnostics("""
            defaults:
              user: deploy
              adress: nope
              host_key_policy: lax
            hosts:
              web-1: { port: 70000 }
              web-2: { port: abc, host_key: MD5:xx }
              "web 3": {}
              -bad: {}
              web-4: { jump: bastoin, labels: { zone: [a] } }
              web-5: [1, 2]
            groups:
              web: { hosts: [web-1, web-9], childs: [x] }
              db: { children: [nope] }
            """)
        #expect(summaries(diagnostics) == [
            "3:3: unknown key 'adress' in defaults",
            "4:20: invalid host_key_policy 'lax' (expected 'strict' or 'accept-new')",
            "6:18: invalid port 70000 (expected 1...65535)",
            "7:18: expected an integer for 'port', found a string",
            "7:33: host_key must be a SHA256 fingerprint starting with 'SHA256:', found 'MD5:xx'",
            "8:3: invalid host name 'web 3' (use letters, digits, '.', '_' and '-', not starting with '-')",
            "9:3: invalid host name '-bad' (use letters, digits, '.', '_' and '-', not starting with '-')",
            "10:43: expected a string for label 'zone', found a sequence",
            "11:10: expected a mapping for 'web-5', found a sequence",
            "13:33: unknown key 'childs' in group 'web'",
            "13:25: unknown host 'web-9' in group 'web' (did you mean 'web-1'?)",
            "14:20: unknown group 'nope' in children of 'db'",
            "10:18: unknown jump host 'bastoin'",
        ])
    }

    @Test func jumpCycleIsReportedOnce() {
        let diagnostics = loadDiagnostics("""
            hosts:
              web-1: { jump: bastion }
              bastion: { jump: web-1 }
              web-2: { jump: web-1 }
            """)
        #expect(summaries(diagnostics) == ["2:18: jump cycle: web-1 -> bastion -> web-1"])
    }

    @Test func selfJumpIsACycle() {
        #expect(summaries(loadDiagnostics("hosts:\n  a: { jump: a }\n")) == ["2:14: jump cycle: a -> a"])
    }

    @Test func unknownJumpSuggestsHost() {
        let diagnostics = loadDiagnostics("hosts:\n  web-1: { jump: bastoin }\n  bastion: {}\n")
        #expect(summaries(diagnostics) == ["2:18: unknown jump host 'bastoin' (did you mean 'bastion'?)"])
    }

    @Test func duplicateHostName() {
        let diagnostics = loadDiagnostics("hosts:\n  web-1: {}\n  web-1: { port: 2 }\n")
        #expect(summaries(diagnostics) == ["3:3: duplicate key 'web-1'"])
    }

    @Test func groupCycle() {
        let diagnostics = loadDiagnostics("""
            hosts: { a: {} }
            groups:
              x: { children: [y] }
              y: { children: [x] }
            """)
        #expect(summaries(diagnostics) == ["3:3: group cycle: x -> y -> x"])
    }

    @Test func reservedGroupName() {
        let diagnostics = loadDiagnostics("hosts: { a: {} }\ngroups:\n  all: { hosts: [a] }\n")
        #expect(summaries(diagnostics) == ["3:3: group name 'all' is reserved (it always means every host)"])
    }

    @Test(arguments: ["", "# only a comment\n", "~\n"])
    func emptyFileIsAnError(text: String) {
        #expect(summaries(loadDiagnostics(text)) == ["1:1: the inventory is empty"])
    }

    @Test func nonMappingFileIsAnError() {
        #expect(summaries(loadDiagnostics("- a\n- b\n")) == ["1:1: expected a mapping for 'the inventory', found a sequence"])
        #expect(summaries(loadDiagnostics("hosts: [a, b]\n")) == ["1:8: expected a mapping for 'hosts', found a sequence"])
    }

    @Test func unknownTopLevelKey() {
        #expect(summaries(loadDiagnostics("hosts: { a: {} }\ngroup: {}\n")) == ["2:1: unknown key 'group' (did you mean 'groups'?)"])
    }

    @Test func yamlSyntaxErrorIsLocated() {
        let diagnostics = loadDiagnostics("hosts:\n  a: { port: 1\n")
        #expect(diagnostics.count == 1)
        #expect(diagnostics.first?.message.hasPrefix("invalid YAML") == true)
        #expect(diagnostics.first?.location?.line == 3)
    }
}

@Suite struct NativeInventoryExtraTests {
    @Test func passphraseEnvironmentAndDefaultsForIt() throws {
        let inventory = try loadInventory("""
            defaults: { identity_passphrase_env: DEPLOY_KEY_PASS }
            hosts:
              a: {}
              b: { identity_passphrase_env: B_PASS, host_key: "SHA256:xyz" }
            """)
        #expect(inventory.host(named: "a")?.passphraseEnvironmentVariable == "DEPLOY_KEY_PASS")
        #expect(inventory.host(named: "b")?.passphraseEnvironmentVariable == "B_PASS")
        #expect(inventory.host(named: "b")?.hostKey == "SHA256:xyz")
        #expect(inventory.host(named: "a")?.hostKeyPolicy == nil)
    }

    @Test func errorDescriptionListsEveryDiagnosticAndCount() {
        do {
            _ = try loadInventory("hosts:\n  a: { prot: 1 }\n  b: { port: 0 }\n", name: "prod.yml")
            Issue.record("expected an error")
        } catch {
            let lines = error.description.split(separator: "\n").map(String.init)
            #expect(lines.count == 7)
            #expect(lines[0].hasSuffix("prod.yml:2:8: error: unknown key 'prot' in host 'a' (did you mean 'port'?)"))
            #expect(lines[1] == "  a: { prot: 1 }")
            #expect(lines[2] == "       ^")
            #expect(lines[3].hasSuffix("prod.yml:3:14: error: invalid port 0 (expected 1...65535)"))
            #expect(lines[6] == "2 errors")
        }
    }

    @Test func badDefaultJumpIsReportedOnce() {
        let diagnostics = loadDiagnostics("defaults: { jump: nowhere }\nhosts:\n  a: {}\n  b: {}\n")
        #expect(summaries(diagnostics) == ["1:19: unknown jump host 'nowhere'"])
    }

    @Test func inventoryValueDescriptions() {
        #expect(InventoryValue.double(1.5).description == "1.5")
        #expect(InventoryValue.bool(true).description == "true")
        #expect(InventoryValue.map(["b": .int(2), "a": .list([])]).description == "{a: [], b: 2}")
    }

    @Test func relativeIdentityResolvesAgainstInventoryDirectory() throws {
        let directory = TemporaryDirectory()
        let inventory = try loadInventory("hosts:\n  a: { identity_file: ../keys/a, known_hosts: [kh1, /abs/kh2] }\n",
                                          name: "Inventories/prod.yml", in: directory)
        #expect(inventory.host(named: "a")?.identityFiles == [directory.path + "/keys/a"])
        #expect(inventory.host(named: "a")?.knownHostsFiles == [directory.path + "/Inventories/kh1", "/abs/kh2"])
    }

    /// `legacy_algorithms: true` lets one host (or, in `defaults`, every host) negotiate SHA-1,
    /// CBC and 3DES algorithms; a host entry's own value wins; anything but a boolean is a mistake.
    @Test func legacyAlgorithmsAreAllowedPerHostOrByDefault() throws {
        let inventory = try loadInventory("""
            defaults: { legacy_algorithms: true }
            hosts:
              old-switch: { address: 10.0.0.1 }
              web-1: { address: 10.0.0.2, legacy_algorithms: false }
            """)
        #expect(inventory.host(named: "old-switch")?.legacyAlgorithms == true)
        #expect(inventory.host(named: "web-1")?.legacyAlgorithms == false)
        #expect(try loadInventory("hosts:\n  web-1: { address: 10.0.0.2 }\n").host(named: "web-1")?.legacyAlgorithms == false)
        let diagnostics = summaries(loadDiagnostics("""
            hosts:
              web-1: { legacy_algorithms: sometimes }
              web-2: { legacy_algorithm: true }
            """))
        #expect(diagnostics.contains("2:31: expected a boolean for 'legacy_algorithms', found a string"), "\(diagnostics)")
        #expect(diagnostics.contains { $0.hasPrefix("3:12: unknown key 'legacy_algorithm' in host 'web-2' (did you mean 'legacy_algorithms'?)") }, "\(diagnostics)")
    }
}
