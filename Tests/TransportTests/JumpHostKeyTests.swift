import Foundation
import HostKeys
import Testing
import TestSupport
@testable import Transport

/// A jump host is verified like any host: a changed, revoked or mis-pinned bastion key stops the
/// connection before the target is asked for anything, under every policy, and `accept-new`
/// leaves the known_hosts file as it was. Hashed known_hosts lines work for real hosts, directly
/// and as bastions.
@Suite("Jump host keys against real sshd hosts", .timeLimit(.minutes(2)))
struct JumpHostKeyTests {
    /// Connects to h2 through h1 described by `bastion`; returns the refusal (nil if it connected).
    static func refusal(_ fleet: TestFleet, bastion: SSHEndpoint) async -> SSHError? {
        var target = fleet.endpoint("h2")
        target.jumpHosts = [bastion]
        do {
            let connection = try await SSHConnection.connect(to: target, options: SSHOptions(connectTimeout: .seconds(5)))
            await connection.close()
            return nil
        } catch {
            return error
        }
    }

    @Test func aBastionWithAChangedKeyIsRefusedUnderEveryPolicyAndItsLineKept() async throws {
        try await TestFleet.with(hosts: 2) { fleet in
            let h1 = fleet.member("h1"), h2 = fleet.member("h2")
            // The bastion's address listed with another host's key; the target's own line is right.
            let lines = "[\(h1.address)]:\(h1.port) \(try fleet.hostPublicKey("h2"))\n[\(h2.address)]:\(h2.port) \(try fleet.hostPublicKey("h2"))\n"
            let path = try fleet.writeFile(lines, named: "changed_bastion_known_hosts")
            for policy in HostKeyPolicy.allCases {
                let error = await Self.refusal(fleet, bastion: fleet.endpoint("h1", policy: policy, knownHosts: path))
                #expect(error?.code == .hostKey, "\(policy)")
                #expect(error?.message.hasPrefix("h2: via jump host h1:") == true, "\(String(describing: error))")
                #expect(error?.message.contains("\(path):1") == true)
                #expect(error?.message.contains(try await fleet.hostFingerprint("h1")) == true)
            }
            #expect(try String(contentsOfFile: path, encoding: .utf8) == lines)
        }
    }

    @Test func aRevokedOrMispinnedBastionIsRefused() async throws {
        try await TestFleet.with(hosts: 2) { fleet in
            let known = try String(contentsOfFile: fleet.knownHostsPath, encoding: .utf8)
            let revoked = try fleet.writeFile(known + "@revoked * \(try fleet.hostPublicKey("h1"))\n", named: "revoked_known_hosts")
            for policy in HostKeyPolicy.allCases {
                let error = await Self.refusal(fleet, bastion: fleet.endpoint("h1", policy: policy, knownHosts: revoked))
                #expect(error?.code == .hostKey)
                #expect(error?.message.lowercased().contains("revoked") == true, "\(String(describing: error))")
            }
            // Pinned to h2's fingerprint: h1 offers its own key.
            let mispinned = await Self.refusal(fleet, bastion: fleet.endpoint("h1", pinned: try await fleet.hostFingerprint("h2")))
            #expect(mispinned?.code == .hostKey)
            #expect(mispinned?.message.contains("pinned") == true, "\(String(describing: mispinned))")
            // The control: the right pin gets through to the target.
            #expect(await Self.refusal(fleet, bastion: fleet.endpoint("h1", pinned: try await fleet.hostFingerprint("h1"))) == nil)
        }
    }

    @Test func hashedKnownHostsLinesVerifyRealHostsAndBastions() async throws {
        try await TestFleet.with(hosts: 2) { fleet in
            let known = try String(contentsOfFile: fleet.knownHostsPath, encoding: .utf8)
            let hashed = try fleet.writeFile(known, named: "hashed_known_hosts")
            let keygen = try await Shell.runDetached(["ssh-keygen", "-H", "-f", hashed])
            #expect(keygen.status == 0)
            let text = try String(contentsOfFile: hashed, encoding: .utf8)
            #expect(text.split(separator: "\n").allSatisfy { $0.hasPrefix("|1|") })
            let direct = try await SSHConnection.connect(to: fleet.endpoint("h1", knownHosts: hashed))
            #expect(direct.hostKeyTrust == .known(file: hashed, line: 1))
            await direct.close()
            #expect(await Self.refusal(fleet, bastion: fleet.endpoint("h1", knownHosts: hashed)) == nil)
            // A hashed line for h1 holding h2's key is a changed key, bastion or not.
            let h1 = fleet.member("h1")
            let changed = try fleet.writeFile("[\(h1.address)]:\(h1.port) \(try fleet.hostPublicKey("h2"))\n", named: "hashed_changed")
            #expect(try await Shell.runDetached(["ssh-keygen", "-H", "-f", changed]).status == 0)
            let error = await Self.refusal(fleet, bastion: fleet.endpoint("h1", policy: .acceptNew, knownHosts: changed))
            #expect(error?.code == .hostKey)
            #expect(error?.message.contains("\(changed):1") == true, "\(String(describing: error))")
        }
    }

    /// Two inventory entries for "the same" bastion address with different trust never share a
    /// session: the pool keys sessions by everything that decides trust and identity, so the
    /// second entry's wrong pin (or its known_hosts with another key) is checked, and refused,
    /// on a session of its own instead of riding the first entry's.
    @Test func aBastionSessionIsNotReusedForAnEntryWithOtherTrust() async throws {
        try await TestFleet.with(hosts: 3) { fleet in
            let h1 = fleet.member("h1")
            let changed = try fleet.writeFile("[\(h1.address)]:\(h1.port) \(try fleet.hostPublicKey("h2"))\n", named: "other_bastion_known_hosts")
            let wrongPin = try await fleet.hostFingerprint("h3")
            let variants: [(String, SSHEndpoint)] = [
                ("a wrong pin", fleet.endpoint("h1", pinned: wrongPin)),
                ("a known_hosts file holding another key", fleet.endpoint("h1", policy: .acceptNew, knownHosts: changed)),
            ]
            for (what, mistrusted) in variants {
                let pool = JumpHostPool(options: SSHOptions(connectTimeout: .seconds(5)))
                var first = fleet.endpoint("h2")
                first.jumpHosts = [fleet.endpoint("h1")]
                let trusted = try await SSHConnection.connect(to: first, jumpHosts: pool)
                #expect(try await trusted.run("hostname").stdoutText == "h2\n")
                var second = fleet.endpoint("h3")
                second.jumpHosts = [mistrusted]
                do {
                    let rode = try await SSHConnection.connect(to: second, jumpHosts: pool)
                    Issue.record("h3 reached through a bastion entry with \(what), on h2's bastion session")
                    await rode.close()
                } catch let error as SSHError {
                    #expect(error.code == .hostKey, "\(what): \(error)")
                    #expect(error.message.hasPrefix("h3: via jump host h1:"), "\(error)")
                }
                await trusted.close()
                await pool.close()
            }
            // The control: identical settings share one session.
            let pool = JumpHostPool()
            var a = fleet.endpoint("h2"), b = fleet.endpoint("h3")
            a.jumpHosts = [fleet.endpoint("h1", pinned: try await fleet.hostFingerprint("h1"))]
            b.jumpHosts = a.jumpHosts
            let ca = try await SSHConnection.connect(to: a, jumpHosts: pool)
            let cb = try await SSHConnection.connect(to: b, jumpHosts: pool)
            #expect(pool.openConnectionCount == 1)
            await ca.close()
            await cb.close()
            await pool.close()
        }
    }
}
