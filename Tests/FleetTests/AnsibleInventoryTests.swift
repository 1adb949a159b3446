import Diagnostics
import Fleet
import Testing

@Suite struct AnsibleINITests {
    let ini = """
        # Ansible INI inventory
        bastion ansible_host=203.0.113.5

        [web]
        web-1 ansible_host=10.0.0.11 zone=a
        web-2 ansible_host=10.0.0.12 ansible_port=2222 rack="r 7"
        web-3:2200 ansible_host=10.0.0.13

        [db]
        db[01:02] ansible_user=postgres region=eu

        [backend:children]
        db

        [web:vars]
        ansible_user=deploy
        app_port=8080
        ansible_ssh_private_key_file=keys/web

        [all:vars]
        ansible_user=everyone
        ansible_python_interpreter=/usr/bin/python3
        debug = true
        """

    @Test func mapsHostsGroupsAndVariables() throws {
        let directory = TemporaryDirectory()
        let inventory = try loadInventory(ini, name: "hosts.ini", in: directory)
        #expect(inventory.hosts.map(\.name) == ["bastion", "web-1", "web-2", "web-3", "db01", "db02"])
        let web1 = try #require(inventory.host(named: "web-1"))
        #expect(web1.address == "10.0.0.11")
        #expect(web1.user == "deploy")
        #expect(web1.identityFiles == [directory.path + "/keys/web"])
        #expect(web1.labels == ["zone": "a"])
        #expect(web1.vars["zone"] == .string("a"))
        #expect(web1.vars["app_port"] == .int(8080))
        // An INI value is a Python literal: `true` is the string "true" (only `True` is a boolean).
        #expect(web1.vars["debug"] == .string("true"))
        #expect(web1.vars["ansible_python_interpreter"] == .string("/usr/bin/python3"))
        #expect(web1.vars["ansible_host"] == nil)
        #expect(web1.groups == ["web"])
        #expect(inventory.host(named: "web-2")?.port == 2222)
        #expect(inventory.host(named: "web-2")?.labels == ["rack": "r 7"])
        #expect(inventory.host(named: "web-3")?.port == 2200)
        let db = try #require(inventory.host(named: "db02"))
        #expect(db.user == "postgres")
        #expect(db.labels == ["region": "eu"])
        #expect(db.groups == ["db", "backend"])
        #expect(inventory.host(named: "bastion")?.user == "everyone")
        #expect(inventory.host(named: "bastion")?.groups == [])
        #expect(inventory.groups["backend"]?.hosts == ["db01", "db02"])
        #expect(inventory.groups["backend"]?.children == ["db"])
        #expect(try inventory.select("web&zone=a").map(\.name) == ["web-1"])
    }

    @Test func iniMistakesHaveLineNumbers() {
        let diagnostics = loadDiagnostics("""
            [web]
            web-1 ansible_port=99999
            web-2 oops
            bad!name
            [web:weird]
            [db:vars]
            a b c
            """, name: "hosts.ini")
        // Parse mistakes come first, then those found once precedence is applied (the port), as in
        // Ansible a `[db:vars]` section needs a `db` group defined somewhere.
        #expect(summaries(diagnostics) == [
            "3:7: expected 'key=value', found 'oops'",
            "4:1: invalid host name 'bad!name' (use letters, digits, '.', '_' and '-', not starting with '-')",
            "5:1: unknown section type ':weird'",
            "7:1: expected 'key=value' in a vars section",
            "6:1: section [db:vars] is for a group that is not defined anywhere in the inventory",
            "2:7: invalid port '99999' for 'ansible_port' (expected 1...65535)",
        ])
    }

    @Test func plainHostLinesWithoutSections() throws {
        let inventory = try loadInventory("web-1\nweb-2 ansible_host=10.0.0.12\n", name: "hosts")
        #expect(inventory.hosts.map(\.name) == ["web-1", "web-2"])
        #expect(inventory.host(named: "web-2")?.address == "10.0.0.12")
    }

    @Test func hostInSeveralSectionsIsOneHost() throws {
        let inventory = try loadInventory("""
            [web]
            web-1 app=1
            [canary]
            web-1 app=2
            """, name: "hosts")
        #expect(inventory.hosts.map(\.name) == ["web-1"])
        #expect(inventory.host(named: "web-1")?.vars["app"] == .int(2))
        #expect(inventory.host(named: "web-1")?.groups == ["web", "canary"])
    }

    @Test func inventoryVarsBeatSSHConfig() throws {
        let inventory = try loadInventory("""
            [web]
            web-1
            web-2 ansible_user=own
            [web:vars]
            ansible_user=group
            [all:vars]
            ansible_port=2022
            """, name: "hosts.ini", sshConfig: "Host *\n  User ssh\n  Port 2200\n")
        #expect(inventory.host(named: "web-1")?.user == "group")
        #expect(inventory.host(named: "web-2")?.user == "own")
        // Ansible hands ansible_port (from any level, `all` included) to ssh on its command line,
        // which beats ssh_config's Port.
        #expect(inventory.host(named: "web-1")?.port == 2022)
    }
}

@Suite struct AnsibleYAMLTests {
    let yaml = """
        all:
          hosts:
            bastion:
              ansible_host: 203.0.113.5
          vars:
            ansible_user: deploy
          children:
            web:
              hosts:
                web-1: { ansible_host: 10.0.0.11, zone: a }
                web-2:
                  ansible_host: 10.0.0.12
                  ansible_port: 2222
              vars:
                app_port: 8080
            db:
              hosts:
                db-1: { ansible_ssh_private_key_file: /keys/db, rack: r1 }
            backend:
              children:
                db:
        """

    @Test func mapsNestedGroups() throws {
        let inventory = try loadInventory(yaml)
        #expect(inventory.hosts.map(\.name) == ["bastion", "web-1", "web-2", "db-1"])
        let web1 = try #require(inventory.host(named: "web-1"))
        #expect(web1.address == "10.0.0.11")
        #expect(web1.user == "deploy")
        #expect(web1.labels == ["zone": "a"])
        #expect(web1.vars == ["zone": .string("a"), "app_port": .int(8080)])
        #expect(inventory.host(named: "web-2")?.port == 2222)
        let db = try #require(inventory.host(named: "db-1"))
        #expect(db.identityFiles == ["/keys/db"])
        #expect(db.labels == ["rack": "r1"])
        #expect(db.groups == ["db", "backend"])
        #expect(inventory.groups["backend"]?.children == ["db"])
        #expect(inventory.groups["web"]?.hosts == ["web-1", "web-2"])
        #expect(inventory.groups["all"] == nil)
        #expect(try inventory.select("backend,bastion").map(\.name) == ["bastion", "db-1"])
    }

    @Test func topLevelGroupsWithoutAll() throws {
        let inventory = try loadInventory("""
            web:
              hosts:
                web-1:
            db:
              hosts:
                db-1:
            """)
        #expect(inventory.hosts.map(\.name) == ["web-1", "db-1"])
        #expect(inventory.groups.keys.sorted() == ["db", "web"])
    }

    @Test func ansibleYAMLMistakes() {
        let diagnostics = loadDiagnostics("""
            all:
              hots:
                a:
              children:
                web:
                  hosts:
                    web-1: { ansible_port: http }
                    "bad host": {}
                  vars: [1]
            """)
        #expect(summaries(diagnostics) == [
            "2:3: unknown key 'hots' in group 'all' (did you mean 'hosts'?)",
            "8:9: invalid host name 'bad host' (use letters, digits, '.', '_' and '-', not starting with '-')",
            "9:13: expected a mapping for 'vars', found a sequence",
            "7:32: invalid port 'http' for 'ansible_port' (expected 1...65535)",
        ])
    }

    @Test func nativeFileIsNotMistakenForAnsible() {
        let diagnostics = loadDiagnostics("hosts:\ngrups: {}\n")
        #expect(summaries(diagnostics) == ["2:1: unknown key 'grups' (did you mean 'groups'?)"])
    }
}
