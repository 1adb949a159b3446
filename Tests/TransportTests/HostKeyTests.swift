import Foundation
import HostKeys
import Testing
import TestSupport
@testable import Transport

@Suite("Host keys against real sshd hosts", .timeLimit(.minutes(2)))
struct HostKeyTests {
    @Test func strictRefusesAnUnknownHostAndShowsItsFingerprint() async throws {
        try await TestFleet.with(hosts: 1) { fleet in
            let empty = try fleet.writeFile("", named: "empty_known_hosts")
            do {
                _ = try await SSHConnection.connect(to: fleet.endpoint(knownHosts: empty))
                Issue.record("connected to an unknown host")
            } catch let error as SSHError {
                #expect(error.code == .hostKey)
                #expect(error.message.contains(try await fleet.hostFingerprint("h1")))
            }
        }
    }

    @Test func aChangedKeyIsRefusedUnderEveryPolicyWithTheStoredLine() async throws {
        try await TestFleet.with(hosts: 2) { fleet in
            let h1 = fleet.member("h1")
            // h1's address listed with h2's key: what a man in the middle would look like.
            let lines = "# comment\n[\(h1.address)]:\(h1.port) \(try fleet.hostPublicKey("h2"))\n"
            let path = try fleet.writeFile(lines, named: "changed_known_hosts")
            for policy in HostKeyPolicy.allCases {
                do {
                    _ = try await SSHConnection.connect(to: fleet.endpoint(policy: policy, knownHosts: path))
                    Issue.record("connected despite a changed key (\(policy))")
                } catch let error as SSHError {
                    #expect(error.code == .hostKey)
                    #expect(error.message.contains("\(path):2"))
                    #expect(error.message.contains(try await fleet.hostFingerprint("h1")))
                }
            }
            #expect(try String(contentsOfFile: path, encoding: .utf8) == lines)
        }
    }

    @Test func acceptNewTrustsOnFirstUseThenKnowsTheHost() async throws {
        try await TestFleet.with(hosts: 1) { fleet in
            let path = try fleet.writeFile("", named: "tofu_known_hosts")
            let first = try await SSHConnection.connect(to: fleet.endpoint(policy: .acceptNew, knownHosts: path))
            #expect(first.hostKeyTrust == .addedNew(file: path))
            await first.close()
            let second = try await SSHConnection.connect(to: fleet.endpoint(policy: .strict, knownHosts: path))
            #expect(second.hostKeyTrust == .known(file: path, line: 1))
            await second.close()
        }
    }

    @Test func aPinnedFingerprintDecides() async throws {
        try await TestFleet.with(hosts: 2) { fleet in
            let empty = try fleet.writeFile("", named: "pin_known_hosts")
            let pin = try await fleet.hostFingerprint("h1")
            let pinned = try await SSHConnection.connect(to: fleet.endpoint(knownHosts: empty, pinned: pin))
            #expect(pinned.hostKeyTrust == .pinned)
            await pinned.close()
            do {
                _ = try await SSHConnection.connect(to: fleet.endpoint("h2", knownHosts: empty, pinned: pin))
                Issue.record("connected despite a pin mismatch")
            } catch let error as SSHError {
                #expect(error.code == .hostKey)
            }
        }
    }

    @Test func aRevokedKeyIsRefusedEvenWhenAlsoListed() async throws {
        try await TestFleet.with(hosts: 1) { fleet in
            let known = try String(contentsOfFile: fleet.knownHostsPath, encoding: .utf8)
            let path = try fleet.writeFile(known + "@revoked * \(try fleet.hostPublicKey("h1"))\n", named: "revoked_known_hosts")
            do {
                _ = try await SSHConnection.connect(to: fleet.endpoint(knownHosts: path))
                Issue.record("connected with a revoked key")
            } catch let error as SSHError {
                #expect(error.code == .hostKey)
                #expect(error.message.lowercased().contains("revoked"))
            }
        }
    }
}
