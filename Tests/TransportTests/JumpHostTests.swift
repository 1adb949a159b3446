import Foundation
import Testing
import TestSupport
@testable import Transport

@Suite("Jump hosts", .timeLimit(.minutes(2)))
struct JumpHostTests {
    @Test func targetsUnreachableDirectlyAreReachedThroughOneBastionSession() async throws {
        try await TestFleet.with(hosts: 3) { fleet in
            let bastion = fleet.endpoint("h1")
            var h2 = fleet.endpoint("h2")
            var h3 = fleet.endpoint("h3")
            // Root (this test) may not reach h2 or h3; the bastion's sshd forwards as the user 'cutover'.
            let fault = try await NetworkFault.install([h2, h3].map {
                "ip daddr \($0.host) tcp dport \($0.port) meta skuid 0 reject with tcp reset"
            })
            do {
                await #expect(throws: SSHError.self) {
                    _ = try await SSHConnection.connect(to: h2, options: SSHOptions(connectTimeout: .seconds(3)))
                }
                h2.jumpHosts = [bastion]
                h3.jumpHosts = [bastion]
                let pool = JumpHostPool()
                let a = try await SSHConnection.connect(to: h2, jumpHosts: pool)
                let b = try await SSHConnection.connect(to: h3, jumpHosts: pool)
                #expect(try await a.run("hostname").stdoutText == "h2\n")
                #expect(try await b.run("hostname").stdoutText == "h3\n")
                // Bulk data both ways through the tunnel.
                let big = try await a.run("head -c 3000000 /dev/zero | tr '\\0' x", timeout: .seconds(30))
                #expect(big.stdout.count == 3_000_000)
                #expect(pool.openConnectionCount == 1)
                await a.close()
                await b.close()
                await pool.close()
            } catch {
                await fault.remove()
                throw error
            }
            await fault.remove()
        }
    }

    @Test func aTargetBehindADownBastionSaysWhichHopFailed() async throws {
        try await TestFleet.with(hosts: 2) { fleet in
            try await fleet.stopHost("h1")
            var target = fleet.endpoint("h2")
            target.jumpHosts = [fleet.endpoint("h1")]
            do {
                _ = try await SSHConnection.connect(to: target, options: SSHOptions(connectTimeout: .seconds(3)))
                Issue.record("connected through a stopped bastion")
            } catch let error as SSHError {
                #expect(error.isUnreachable)
                #expect(error.message.hasPrefix("h2: via jump host h1:"))
            }
        }
    }

    @Test func aBastionWithAChangedKeyIsRefused() async throws {
        try await TestFleet.with(hosts: 2) { fleet in
            let empty = fleet.directory + "/empty_known_hosts"
            try "".write(toFile: empty, atomically: true, encoding: .utf8)
            var target = fleet.endpoint("h2")
            target.jumpHosts = [fleet.endpoint("h1", knownHosts: empty)]
            do {
                _ = try await SSHConnection.connect(to: target)
                Issue.record("connected through an unverified bastion")
            } catch let error as SSHError {
                #expect(error.code == .hostKey)
            }
        }
    }
}
