import Diagnostics
import Fleet
import Foundation
import Testing

@Suite struct SSHConfigTests {
    @Test func hostPatternsFirstValueWinsIdentityAccumulates() throws {
        let inventory = try loadInventory("""
            hosts:
              web-1: {}
              web-2: {}
              db-1: {}
            """, sshConfig: """
            # comment
            Host web-1
                port 2201
                IdentityFile ~/.ssh/web1
            Host web-* !web-2
                Port=2222
                User   alice
                IDENTITYFILE "/keys/with space"
            Host *
                User fallback
                IdentityFile /keys/all
                Port 2000
            """)
        let web1 = try #require(inventory.host(named: "web-1"))
        #expect(web1.port == 2201)
        #expect(web1.user == "alice")
        #expect(web1.identityFiles == [homeDirectory + "/.ssh/web1", "/keys/with space", "/keys/all"])
        let web2 = try #require(inventory.host(named: "web-2"))
        #expect(web2.port == 2000)
        #expect(web2.user == "fallback")
        #expect(web2.identityFiles == ["/keys/all"])
    }

    @Test func precedenceHostThenSSHConfigThenDefaults() throws {
        let inventory = try loadInventory("""
            defaults: { user: deploy, port: 2022, identity_file: /keys/default }
            hosts:
              web-1: {}
              web-2: { user: bob, identity_file: /keys/bob }
              db-1: {}
            """, sshConfig: """
            Host web-*
              User alice
              IdentityFile /keys/alice
            """)
        #expect(inventory.host(named: "web-1")?.user == "alice")
        #expect(inventory.host(named: "web-1")?.identityFiles == ["/keys/alice"])
        #expect(inventory.host(named: "web-1")?.port == 2022)
        #expect(inventory.host(named: "web-2")?.user == "bob")
        #expect(inventory.host(named: "web-2")?.identityFiles == ["/keys/bob"])
        #expect(inventory.host(named: "db-1")?.user == "deploy")
        #expect(inventory.host(named: "db-1")?.identityFiles == ["/keys/default"])
    }

    @Test func hostNameWithTokenAndLookupByAddress() throws {
        let inventory = try loadInventory("""
            hosts:
              web-1: {}
              web-2: { address: 10.0.0.12 }
              web-3: { address: 10.0.0.13 }
            """, sshConfig: """
            Host web-1 web-2
              HostName %h.internal.example
            Host 10.0.0.13
              Port 2213
              IdentityFile %d/keys/%u-%h-%r
              User ops
            """)
        #expect(inventory.host(named: "web-1")?.address == "web-1.internal.example")
        #expect(inventory.host(named: "web-2")?.address == "10.0.0.12")
        let web3 = try #require(inventory.host(named: "web-3"))
        #expect(web3.port == 2213)
        let user = ProcessInfo.processInfo.environment["USER"] ?? NSUserName()
        #expect(web3.identityFiles == ["\(homeDirectory)/keys/\(user)-10.0.0.13-ops"])
    }

    @Test func proxyJumpToInventoryHostAndSynthesisedHops() throws {
        let inventory = try loadInventory("""
            hosts:
              web-1: {}
              web-2: {}
              web-3: { jump: bastion }
              bastion: { address: 203.0.113.5 }
            """, sshConfig: """
            Host web-1
              ProxyJump bastion
            Host web-2
              ProxyJump admin@gw.example.com:2200,inner
            Host web-3
              ProxyJump inner
            Host gw.example.com
              IdentityFile /keys/gw
              HostName 198.51.100.1
            """)
        let web1 = try #require(inventory.host(named: "web-1"))
        #expect(web1.jump == "bastion")
        #expect(inventory.jumpChain(for: web1).map(\.address) == ["203.0.113.5"])
        let web2 = try #require(inventory.host(named: "web-2"))
        let chain = inventory.jumpChain(for: web2)
        #expect(chain.map(\.name) == ["admin@gw.example.com:2200", "inner"])
        #expect(chain.first?.address == "198.51.100.1")
        #expect(chain.first?.port == 2200)
        #expect(chain.first?.user == "admin")
        #expect(chain.first?.identityFiles == ["/keys/gw"])
        #expect(chain.last?.address == "inner")
        #expect(web2.jump == "inner")
        #expect(inventory.host(named: "admin@gw.example.com:2200") == nil)
        // The inventory's own jump wins over ProxyJump.
        #expect(inventory.jumpChain(for: inventory.host(named: "web-3")!).map(\.name) == ["bastion"])
    }

    @Test func proxyJumpNoneOverridesDefaultJump() throws {
        let inventory = try loadInventory("""
            defaults: { jump: bastion }
            hosts:
              web-1: {}
              local: {}
              bastion: {}
            """, sshConfig: "Host local\n  ProxyJump none\n")
        #expect(inventory.jumpChain(for: inventory.host(named: "web-1")!).map(\.name) == ["bastion"])
        #expect(inventory.jumpChain(for: inventory.host(named: "local")!).isEmpty)
    }

    @Test func proxyJumpCycleThroughInventoryHosts() {
        let diagnostics = loadDiagnostics("""
            hosts:
              a: { jump: b }
              b: {}
            """, sshConfig: "Host b\n  ProxyJump a\n")
        #expect(diagnostics.first?.message == "jump cycle: a -> b -> a")
    }

    @Test func knownHostsAndStrictHostKeyChecking() throws {
        let inventory = try loadInventory("""
            hosts:
              a: {}
              b: {}
              c: { host_key_policy: accept-new }
            """, sshConfig: """
            Host a
              UserKnownHostsFile ~/.ssh/known_a /etc/ssh/known_shared
              StrictHostKeyChecking accept-new
            Host b c
              StrictHostKeyChecking no
            """)
        #expect(inventory.host(named: "a")?.knownHostsFiles == [homeDirectory + "/.ssh/known_a", "/etc/ssh/known_shared"])
        #expect(inventory.host(named: "a")?.hostKeyPolicy == .acceptNew)
        #expect(inventory.host(named: "b")?.hostKeyPolicy == .strict)
        #expect(inventory.host(named: "c")?.hostKeyPolicy == .acceptNew)
        #expect(inventory.warnings.map(\.message) == [
            "StrictHostKeyChecking no is treated as 'yes': Cutover never disables host-key checking",
        ])
        #expect(inventory.warnings.first?.location?.line == 5)
    }

    @Test func matchBlocksApplyAsInOpenSSH() throws {
        let inventory = try loadInventory("hosts:\n  a: {}\n  b: {}\n", sshConfig: """
            Match host a
              User matched
            Host a b
              User plain
            """)
        #expect(inventory.host(named: "a")?.user == "matched")
        #expect(inventory.host(named: "b")?.user == "plain")
        #expect(inventory.warnings.isEmpty)
    }

    @Test func keywordsThatChangeHowAConnectionIsMadeOrTrustedWarnOncePerFile() throws {
        let directory = TemporaryDirectory()
        directory.write("extra", "HostKeyAlias other\nCompression yes\n")
        let inventory = try loadInventory("hosts:\n  a: {}\n", sshConfig: """
            Host a
              HostKeyAlias trusted-name
              ProxyJump gateway
              CertificateFile ~/.ssh/id_cert.pub
              LocalForward 8080 localhost:80
              ServerAliveInterval 30
              Compression yes
              ForwardX11 no
            Host b
              hostkeyalias again
              Ciphers aes256-cbc
            Include \(directory.path)/extra
            Match host a
              KexAlgorithms diffie-hellman-group1-sha1
            """, in: directory)
        // `file:line:col: keyword` of each warning (the keyword is the first quoted word).
        let warnings = inventory.warnings.map { warning -> String in
            let file = ((warning.location?.file ?? "") as NSString).lastPathComponent
            let keyword = warning.message.split(separator: "'", omittingEmptySubsequences: false).dropFirst().first.map(String.init) ?? warning.message
            return "\(file):\(warning.location?.line ?? 0):\(warning.location?.column ?? 0): \(keyword)"
        }
        #expect(warnings == [
            "ssh_config:2:3: HostKeyAlias",
            "ssh_config:4:3: CertificateFile",
            "ssh_config:5:3: LocalForward",
            "ssh_config:11:3: Ciphers",
            "extra:1:1: HostKeyAlias",
            "ssh_config:14:3: KexAlgorithms",
        ], "\(warnings)")
        #expect(inventory.warnings.allSatisfy { $0.severity == .warning })
        let alias = try #require(inventory.warnings.first)
        #expect(alias.rendered.contains("ssh_config:2:3: warning: 'HostKeyAlias' is not honoured by Cutover"), "\(alias.rendered)")
        #expect(alias.rendered.contains("HostKeyAlias trusted-name\n  ^"), "\(alias.rendered)")
    }

    /// A keyword OpenSSH does not know refuses the file, as ssh does, wherever it stands: an error
    /// at its line and column naming it as written, with the keyword it was likely meant to be.
    @Test func unknownKeywordsAreErrorsNamingTheLine() {
        let directory = TemporaryDirectory()
        directory.write("included", "Host *\n\tPrt 2222\n")
        let diagnostics = loadDiagnostics("hosts:\n  a: {}\n", sshConfig: """
            Host a
              Usr nobody
            Host elsewhere
              Hostnme x.example.com
            Include \(directory.path)/included
            Host *
              UseKeychain yes
              Compression
            """, in: directory)
        let errors = diagnostics.filter { $0.severity == .error }
        let places = errors.map { "\((($0.location?.file ?? "") as NSString).lastPathComponent):\($0.location?.line ?? 0):\($0.location?.column ?? 0)" }
        #expect(places == ["ssh_config:2:3", "ssh_config:4:3", "included:2:2", "ssh_config:7:3", "ssh_config:8:3"], "\(places)")
        #expect(errors.first?.rendered.contains("ssh_config:2:3: error: unknown keyword 'Usr' (did you mean 'User'?): ssh refuses the whole file") == true,
                "\(errors.first?.rendered ?? "")")
        #expect(errors.first?.rendered.contains("Usr nobody\n  ^") == true, "\(errors.first?.rendered ?? "")")
        #expect(errors[1].message.hasPrefix("unknown keyword 'Hostnme' (did you mean 'HostName'?)"), "\(errors[1].message)")
        #expect(errors[2].message.hasPrefix("unknown keyword 'Prt' (did you mean 'Port'?)"), "\(errors[2].message)")
        #expect(errors[3].message.hasPrefix("unknown keyword 'UseKeychain':"), "\(errors[3].message)")
        #expect(errors[3].message.contains("IgnoreUnknown"), "\(errors[3].message)")
        #expect(errors[4].message == "no value after keyword 'Compression' (ssh refuses it too)", "\(errors[4].message)")
    }

    /// `IgnoreUnknown` covers the lines after it where it applies; the first one applying wins,
    /// so whether an unknown keyword refuses the file can depend on the host, and the error then
    /// names it. Deprecated keywords stay silent, those ssh calls unsupported are warned about,
    /// and `IdentityFile2` is `IdentityFile`, all as in ssh.
    @Test func ignoreUnknownAndOldKeywordsAsSSHReadsThem() throws {
        let accepted = try loadInventory("hosts:\n  a: {}\n  b: {}\n", sshConfig: """
            IgnoreUnknown UseKeychain,Add*
            Protocol 2
            UseRoaming no
            RSAAuthentication no
            Host *
              UseKeychain yes
              AddKeysToKeychain yes
              IdentityFile2 /keys/second
            """)
        #expect(accepted.host(named: "a")?.identityFiles == ["/keys/second"])
        #expect(accepted.warnings.map(\.message) == ["'RSAAuthentication' is no longer supported by OpenSSH (ssh says so too); this line is ignored"],
                "\(accepted.warnings.map(\.message))")

        let config = """
            Host a
              IgnoreUnknown UseKeychain
            Host *
              UseKeychain yes
            """
        #expect(try loadInventory("hosts:\n  a: {}\n", sshConfig: config).host(named: "a") != nil)
        let refused = loadDiagnostics("hosts:\n  a: {}\n  b: {}\n", sshConfig: config)
        #expect(summaries(refused) == [
            "4:3: unknown keyword 'UseKeychain' for host 'b': no IgnoreUnknown above this line applies to it, so ssh refuses the whole file (\"Bad configuration option\")",
        ], "\(summaries(refused))")

        let firstWins = loadDiagnostics("hosts:\n  a: {}\n", sshConfig: "Host *\n  IgnoreUnknown Foo\nIgnoreUnknown UseKeychain\nUseKeychain yes\n")
        #expect(summaries(firstWins).first?.hasPrefix("4:1: unknown keyword 'UseKeychain' for host 'a': the IgnoreUnknown in force for it (the first that applies) is 'Foo'") == true,
                "\(summaries(firstWins))")
        let after = loadDiagnostics("hosts:\n  a: {}\n", sshConfig: "UseKeychain yes\nIgnoreUnknown UseKeychain\n")
        #expect(summaries(after).first?.hasPrefix("1:1: unknown keyword 'UseKeychain':") == true, "\(summaries(after))")
    }

    @Test func includeWithGlobAppliesOnlyUnderAMatchingBlock() throws {
        let directory = TemporaryDirectory()
        directory.write("conf.d/10-web", "Host web-1\n  User from-include\n")
        directory.write("conf.d/20-all", "Port 2020\n")
        directory.write("only-db", "User db-user\n")
        let inventory = try loadInventory("""
            hosts:
              web-1: {}
              db-1: {}
            """, sshConfig: """
            Include \(directory.path)/conf.d/*
            Host db-*
              Include \(directory.path)/only-db
            Host *
              User last
            """, in: directory)
        #expect(inventory.host(named: "web-1")?.user == "from-include")
        #expect(inventory.host(named: "web-1")?.port == 2020)
        #expect(inventory.host(named: "db-1")?.user == "db-user")
        #expect(inventory.host(named: "db-1")?.port == 2020)
    }

    @Test func includesThatLoopFanOutOrNameDevicesEndWithADiagnostic() throws {
        // Six files that each include all six: without a cycle check and a budget this is 6^16 reads.
        let directory = TemporaryDirectory()
        for index in 1...6 { directory.write("conf.d/\(index)", "Include \(directory.path)/conf.d/*\nPort 220\(index)\n") }
        let looped = loadDiagnostics("hosts:\n  a: {}\n", sshConfig: "Include \(directory.path)/conf.d/*\n", in: directory)
        #expect(!looped.isEmpty && looped.allSatisfy { $0.message.contains("an include cycle") || $0.message.contains("too many included files") })
        #expect(looped.contains { $0.location?.file == directory.file("conf.d/1") && $0.location?.line == 1 })
        let itself = loadDiagnostics("hosts:\n  a: {}\n", sshConfig: "Host *\n  Include \(directory.path)/ssh_config\n", in: directory)
        #expect(summaries(itself).contains { $0.hasPrefix("2:3: 'Include \(directory.path)/ssh_config' includes") && $0.hasSuffix("(an include cycle)") })
        // /dev/zero would be read forever, a FIFO would block: neither is opened.
        let device = loadDiagnostics("hosts:\n  a: {}\n", sshConfig: "Include /dev/zero\n", in: directory)
        #expect(summaries(device) == ["1:1: 'Include /dev/zero' names '/dev/zero', which is not a regular file"])
        #expect(mkfifo(directory.file("fifo"), 0o600) == 0)
        let fifo = loadDiagnostics("hosts:\n  a: {}\n", sshConfig: "Include \(directory.path)/fifo\n", in: directory)
        #expect(summaries(fifo).first?.hasSuffix("which is not a regular file") == true)
    }

    @Test func sshConfigMistakesAreLocated() {
        let directory = TemporaryDirectory()
        let diagnostics = loadDiagnostics("hosts:\n  a: {}\n", sshConfig: """
            Host a
              Port 99999
              User "unterminated
              StrictHostKeyChecking maybe
            """, in: directory)
        #expect(summaries(diagnostics) == [
            "2:3: invalid port '99999' (expected 1...65535 or a service name)",
            "3:8: unterminated quote",
            "4:3: invalid StrictHostKeyChecking value 'maybe' (expected yes, ask, accept-new, no or off)",
        ])
        #expect(diagnostics.first?.location?.file == directory.file("ssh_config"))
    }

    @Test func noneAndEmptyConfigAreIgnored() throws {
        let directory = TemporaryDirectory()
        let inventoryPath = directory.write("inventory.yml", "hosts:\n  a: {}\n")
        let empty = directory.write("empty", "")
        #expect(try InventoryLoader.load(path: inventoryPath, sshConfigPath: empty).host(named: "a")?.port == 22)
        #expect(try InventoryLoader.load(path: inventoryPath, sshConfigPath: "none").host(named: "a")?.user == nil)
        #expect(try InventoryLoader.load(path: inventoryPath, sshConfigPath: "").hosts.count == 1)
    }
}
