import Diagnostics
import Foundation
import Rollout
import Testing
import TestSupport

@Suite("exec and check across a fleet", .timeLimit(.minutes(3)))
struct AdHocCommandTests {
    @Test func fiftyHostsInParallelAllAnswer() async throws {
        try await TestFleet.with(hosts: 50) { fleet in
            let log = EventLog()
            let request = ExecRequest(
                connection: ConnectionSettings(inventoryPath: fleet.inventoryPath, sshConfigPath: "none", parallel: 50, handshakes: 10),
                command: "hostname")
            let summary = try await AdHocCommand(request).run(events: log.sink)
            #expect(summary.ok == 50)
            #expect(summary.total == 50)
            let answers = Set(log.lines.map { "\($0.host)=\($0.line)" })
            #expect(answers == Set((1...50).map { "h\($0)=h\($0)" }))
        }
    }

    @Test func inventoryJumpHostsCarryTheTargets() async throws {
        try await TestFleet.with(hosts: 3) { fleet in
            // h2 and h3 reachable only through h1, as an inventory `jump:` says.
            var inventory = try String(contentsOfFile: fleet.inventoryPath, encoding: .utf8)
            for name in ["h2", "h3"] {
                let member = fleet.member(name)
                inventory = inventory.replacingOccurrences(
                    of: "  \(name): { address: \(member.address),",
                    with: "  \(name): { jump: h1, address: \(member.address),")
            }
            let path = fleet.directory + "/jump.yml"
            try inventory.write(toFile: path, atomically: true, encoding: .utf8)
            let fault = try await NetworkFault.install(["h2", "h3"].map {
                "ip daddr \(fleet.member($0).address) tcp dport \(fleet.member($0).port) meta skuid 0 reject with tcp reset"
            })
            let log = EventLog()
            let summary: RunSummary
            do {
                summary = try await AdHocCommand(ExecRequest(
                    connection: ConnectionSettings(inventoryPath: path, sshConfigPath: "none", connectTimeout: .seconds(5)),
                    command: "hostname")).run(events: log.sink)
            } catch {
                await fault.remove()
                throw error
            }
            await fault.remove()
            #expect(summary.ok == 3)
            #expect(Set(log.lines.map(\.line)) == ["h1", "h2", "h3"])
        }
    }

    /// Two inventory entries for one bastion address: the second pins a key the bastion does
    /// not hold. Its target is refused, however the first entry's session is shared.
    @Test func aTargetBehindAMispinnedEntryForASharedBastionAddressIsRefused() async throws {
        try await TestFleet.with(hosts: 3) { fleet in
            let h1 = fleet.member("h1")
            var inventory = try String(contentsOfFile: fleet.inventoryPath, encoding: .utf8)
            for (name, bastion) in [("h2", "bastion-a"), ("h3", "bastion-b")] {
                inventory = inventory.replacingOccurrences(of: "  \(name): { address:", with: "  \(name): { jump: \(bastion), address:")
            }
            inventory += """
              bastion-a: { address: \(h1.address) }
              bastion-b: { address: \(h1.address), host_key: "\(try await fleet.hostFingerprint("h3"))" }

            """
            let path = fleet.directory + "/two-bastions.yml"
            try inventory.write(toFile: path, atomically: true, encoding: .utf8)
            let log = EventLog()
            let summary = try await AdHocCommand(ExecRequest(
                connection: ConnectionSettings(inventoryPath: path, sshConfigPath: "none", limit: "h2,h3", connectTimeout: .seconds(5)),
                command: "hostname")).run(events: log.sink)
            #expect(summary.ok == 1)
            let outcomes = Dictionary(uniqueKeysWithValues: log.outcomes.map { ($0.host, $0) })
            #expect(outcomes["h2"]?.status == .ok, "\(String(describing: outcomes["h2"]))")
            #expect(outcomes["h3"]?.status == .failed, "\(String(describing: outcomes["h3"]))")
            // A refusal (failed, not unreachable), by bastion-b's pin.
            let refusal = outcomes["h3"].map { String(describing: $0.error) } ?? ""
            #expect(refusal.contains("h3: via jump host bastion-b:") && refusal.contains("pinned"), "\(refusal)")
        }
    }

    /// A host whose sshd offers only 3DES and CBC ciphers is refused (failed, not unreachable,
    /// and not retried) until its inventory entry says `legacy_algorithms: true`.
    @Test func aLegacyOnlyHostNeedsLegacyAlgorithmsInItsEntry() async throws {
        try await TestFleet.with(hosts: 2) { fleet in
            try await fleet.reconfigureHost("h2", adding: ["Ciphers 3des-cbc,aes128-cbc"])
            let log = EventLog()
            let refused = try await AdHocCommand(ExecRequest(
                connection: ConnectionSettings(inventoryPath: fleet.inventoryPath, sshConfigPath: "none"), command: "hostname")).run(events: log.sink)
            #expect(refused.ok == 1)
            let h2 = try #require(log.outcomes.first { $0.host == "h2" })
            #expect(h2.status == .failed)
            let message = String(describing: h2.error)
            #expect(message.contains("h2: no cipher in common") && !message.contains("attempts"), "\(message)")

            let inventory = try String(contentsOfFile: fleet.inventoryPath, encoding: .utf8)
                .replacingOccurrences(of: "  h2: { address:", with: "  h2: { legacy_algorithms: true, address:")
            let path = fleet.directory + "/legacy.yml"
            try inventory.write(toFile: path, atomically: true, encoding: .utf8)
            let allowed = try await AdHocCommand(ExecRequest(
                connection: ConnectionSettings(inventoryPath: path, sshConfigPath: "none"), command: "hostname")).run(events: { _ in })
            #expect(allowed.ok == 2)
        }
    }

    @Test func anAnsibleInventoryWithAnSSHConfigReachesTheFleet() async throws {
        try await TestFleet.with(hosts: 3) { fleet in
            var ini = "[web]\n"
            for member in fleet.members {
                ini += "\(member.name) ansible_host=\(member.address) ansible_port=\(member.port) ansible_user=cutover zone=z\(member.name)\n"
            }
            ini += "\n[web:vars]\nansible_ssh_private_key_file=\(fleet.identityPath)\n"
            let path = fleet.directory + "/hosts.ini"
            try ini.write(toFile: path, atomically: true, encoding: .utf8)
            let log = EventLog()
            // The fleet's ssh_config names its known_hosts file (UserKnownHostsFile).
            let summary = try await ConnectivityCheck(CheckRequest(connection: ConnectionSettings(
                inventoryPath: path, sshConfigPath: fleet.sshConfigPath, limit: "web&!h3"))).run(events: log.sink)
            #expect(summary.ok == 2)
            #expect(Set(log.outcomes.map(\.host)) == ["h1", "h2"])
        }
    }

    @Test func aBadLimitIsAUsageErrorBeforeAnyConnection() async throws {
        try await TestFleet.with(hosts: 1) { fleet in
            do {
                _ = try await AdHocCommand(ExecRequest(
                    connection: ConnectionSettings(inventoryPath: fleet.inventoryPath, sshConfigPath: "none", limit: "hh1"),
                    command: "true")).run(events: { _ in })
                Issue.record("a limit matching nothing was accepted")
            } catch let error as RolloutError {
                guard case .usage(let message) = error else { Issue.record("wrong error \(error)"); return }
                #expect(message.contains("no host, group or label matches 'hh1' (did you mean 'h1'?)"), "\(message)")
            }
        }
    }
}
