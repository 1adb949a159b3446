import Foundation
import HostKeys
import Testing
import TestSupport
@testable import Transport

@Suite("Host keys against real sshd hosts", .timeLimit(.minutes(2)))
struct HostKeyTests {
    static func write(_ text: String, in fleet: TestFleet, name: String) throws -> String {
        let path = fleet.directory + "/" + name
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// "ssh-ed25519 AAAA…" of a test host.
    static func publicKey(_ fleet: TestFleet, _ name: String) throws -> String {
        let text = try String(contentsOfFile: "\(fleet.directory)/hosts/\(name)/ssh_host_ed25519_key.pub", encoding: .utf8)
        return text.split(separator: " ").prefix(2).joined(separator: " ")
    }

    static func fingerprint(_ fleet: TestFleet, _ name: String) async throws -> String {
        let out = try await Shell.runDetached(["ssh-keygen", "-lf", "\(fleet.directory)/hosts/\(name)/ssh_host_ed25519_key.pub"])
        return String(out.stdout.split(separator: " ")[1])
    }

    @Test func strictRefusesAnUnknownHostAndShowsItsFingerprint() async throws {
        try await TestFleet.with(hosts: 1) { fleet in
            let empty = try Self.write("", in: fleet, name: "empty_known_hosts")
            do {
                _ = try await SSHConnection.connect(to: fleet.endpoint(knownHosts: empty))
                Issue.record("connected to an unknown host")
            } catch let error as SSHError {
                #expect(error.code == .hostKey)
                #expect(error.message.contains(try await Self.fingerprint(fleet, "h1")))
            }
        }
    }

    @Test func aChangedKeyIsRefusedUnderEveryPolicyWithTheStoredLine() async throws {
        try await TestFleet.with(hosts: 2) { fleet in
            let h1 = fleet.member("h1")
            // h1's address listed with h2's key: what a man in the middle would look like.
            let lines = "# comment\n[\(h1.address)]:\(h1.port) \(try Self.publicKey(fleet, "h2"))\n"
            let path = try Self.write(lines, in: fleet, name: "changed_known_hosts")
            for policy in HostKeyPolicy.allCases {
                do {
                    _ = try await SSHConnection.connect(to: fleet.endpoint(policy: policy, knownHosts: path))
                    Issue.record("connected despite a changed key (\(policy))")
                } catch let error as SSHError {
                    #expect(error.code == .hostKey)
                    #expect(error.message.contains("\(path):2"))
                    #expect(error.message.contains(try await Self.fingerprint(fleet, "h1")))
                }
            }
            #expect(try String(contentsOfFile: path, encoding: .utf8) == lines)
        }
    }

    @Test func acceptNewTrustsOnFirstUseThenKnowsTheHost() async throws {
        try await TestFleet.with(hosts: 1) { fleet in
            let path = try Self.write("", in: fleet, name: "tofu_known_hosts")
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
            let empty = try Self.write("", in: fleet, name: "pin_known_hosts")
            let pin = try await Self.fingerprint(fleet, "h1")
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
            let path = try Self.write(known + "@revoked * \(try Self.publicKey(fleet, "h1"))\n", in: fleet, name: "revoked_known_hosts")
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
