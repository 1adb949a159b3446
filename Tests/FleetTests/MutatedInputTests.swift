import Diagnostics
import Foundation
import Testing
import TestSupport
@testable import Fleet

/// Hundreds of mutated inventories and ssh_configs: every one loads or yields diagnostics that
/// say something, and nothing crashes or hangs (seeded, so a failure reproduces).
@Suite("Mutated inventories and ssh_config", .timeLimit(.minutes(2)))
struct MutatedInputTests {
    static let native = (try? String(contentsOfFile: RepositoryPaths.root + "/Inventories/example.yml", encoding: .utf8)) ?? ""
    static let ini = """
    [web]
    web-1 ansible_host=10.0.0.1 ansible_port=2222 zone=a
    web[02:04] ansible_user=deploy

    [db:children]
    web

    [web:vars]
    ansible_ssh_private_key_file=~/.ssh/id_ed25519
    """
    static let sshConfig = """
    Host web-*
      User deploy
      Port 2222
      ProxyJump bastion
    Host bastion
      HostName 203.0.113.5
      IdentityFile ~/.ssh/id_ed25519
    Match host *
      User nobody
    Host *
      StrictHostKeyChecking accept-new
      UserKnownHostsFile ~/.ssh/known_hosts /etc/ssh/known
    """

    func load(_ text: String, as name: String, sshConfig: String? = nil) throws -> Bool {
        let directory = FileManager.default.temporaryDirectory.path + "/cutover-mutations"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let path = directory + "/" + name
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        var configPath = "none"
        if let sshConfig {
            configPath = directory + "/ssh_config"
            try sshConfig.write(toFile: configPath, atomically: true, encoding: .utf8)
        }
        do {
            let inventory = try InventoryLoader.load(path: path, sshConfigPath: configPath)
            _ = try? inventory.select("web,db&zone=a,!web-3")
            return true
        } catch {
            #expect(!error.diagnostics.isEmpty && error.diagnostics.allSatisfy { !$0.message.isEmpty }, "a rejection without a message")
            return false
        }
    }

    @Test(arguments: [("native", UInt64(1)), ("ini", UInt64(2)), ("ssh_config", UInt64(3))])
    func everyMutationLoadsOrExplains(kind: String, seed: UInt64) throws {
        var mutator = InputMutator(seed: seed)
        var loaded = 0
        for _ in 0..<300 {
            switch kind {
            case "native": if try load(mutator.mutate(Self.native), as: "inventory.yml") { loaded += 1 }
            case "ini": if try load(mutator.mutate(Self.ini), as: "hosts.ini") { loaded += 1 }
            default: if try load("hosts:\n  web-1: { address: 10.0.0.1 }\n  bastion: {}\n", as: "inventory.yml", sshConfig: mutator.mutate(Self.sshConfig)) { loaded += 1 }
            }
        }
        // Some mutations are harmless, most are not: both paths were exercised.
        #expect(loaded < 300)
        #expect(kind == "ssh_config" || loaded > 0)
    }
}
