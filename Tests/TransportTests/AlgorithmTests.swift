import Foundation
import Glibc
import Testing
import TestSupport
@testable import Transport

/// Cutover proposes modern algorithms only: a host that offers nothing but weak ones (3DES or
/// CBC ciphers, SHA-1 or MD5 MACs, SHA-1 Diffie-Hellman) is refused at the handshake, and the
/// error names what there was no agreement on. `allowsLegacyAlgorithms` reaches such a host.
@Suite("Algorithms against real sshd hosts", .timeLimit(.minutes(2)))
struct AlgorithmTests {
    /// sshd configurations offering only weak algorithms of one class each (OpenSSH 9.2 still
    /// accepts them: `sshd -T`), and what a legacy-allowing connection then agrees on.
    static let weakHosts: [(host: String, config: String, class: String, legacy: String)] = [
        ("h2", "Ciphers 3des-cbc,aes128-cbc", "cipher", "aes128-cbc"),
        ("h3", "MACs hmac-sha1,hmac-md5", "MAC", "hmac-sha1"),
        ("h4", "KexAlgorithms diffie-hellman-group1-sha1,diffie-hellman-group14-sha1", "key exchange", "diffie-hellman-group14-sha1"),
    ]

    @Test func aHostOfferingOnlyWeakAlgorithmsIsRefusedAndANormalOneWorks() async throws {
        try await TestFleet.with(hosts: 4) { fleet in
            for weak in Self.weakHosts { try await fleet.reconfigureHost(weak.host, adding: [weak.config]) }
            let normal = try await SSHConnection.connect(to: fleet.endpoint("h1"))
            #expect(try await normal.run("hostname").stdoutText == "h1\n")
            #expect(try await normal.negotiatedAlgorithms() == ["curve25519-sha256", "ssh-ed25519", "aes128-ctr", "hmac-sha2-256"])
            await normal.close()
            for weak in Self.weakHosts {
                do {
                    let connection = try await SSHConnection.connect(to: fleet.endpoint(weak.host), options: SSHOptions(connectTimeout: .seconds(5)))
                    Issue.record("connected to \(weak.host), which offers only \(weak.config): \(try await connection.negotiatedAlgorithms())")
                    await connection.close()
                } catch let error as SSHError {
                    #expect(error.code == .algorithms, "\(weak.host): \(error)")
                    #expect(!error.isUnreachable)
                    #expect(error.message.hasPrefix("\(weak.host): no \(weak.class)"), "\(weak.host): \(error)")
                    #expect(error.message.contains("legacy_algorithms: true"), "\(error)")
                }
                // Allowed for this host: it connects, on the legacy algorithm it offers.
                var legacy = fleet.endpoint(weak.host)
                legacy.allowsLegacyAlgorithms = true
                let connection = try await SSHConnection.connect(to: legacy)
                #expect(try await connection.run("hostname").stdoutText == "\(weak.host)\n")
                #expect(try await connection.negotiatedAlgorithms().contains(weak.legacy), "\(weak.host)")
                await connection.close()
            }
            // A bastion that offers only weak ones stops its targets the same way.
            var target = fleet.endpoint("h1")
            target.jumpHosts = [fleet.endpoint("h2")]
            do {
                let connection = try await SSHConnection.connect(to: target, options: SSHOptions(connectTimeout: .seconds(5)))
                Issue.record("reached h1 through h2, which offers only 3des-cbc and aes128-cbc")
                await connection.close()
            } catch let error as SSHError {
                #expect(error.code == .algorithms)
                #expect(error.message.hasPrefix("h1: via jump host h2: h2: no cipher"), "\(error)")
            }
        }
    }

    /// libssh2 drops a name it does not know without a word; every name Cutover proposes must
    /// be one the linked libssh2 supports, and no weak one is proposed unless legacy ones are allowed.
    @Test func theProposalIsWhatTheLinkedLibSSH2SupportsAndNothingWeak() throws {
        var pair: [Int32] = [0, 0]
        #expect(socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0, &pair) == 0)
        defer { Glibc.close(pair[1]) }
        // No handshake: the session only needs descriptors; the other end stands in for the wake-up fd.
        let session = try LibSSH2Session(socket: pair[0], wakeFD: pair[1], label: "probe")
        defer { session.close() }
        for kind in AlgorithmPreferences.Kind.allCases {
            let supported = AlgorithmPreferences.supported(kind, by: session)
            #expect(!supported.isEmpty)
            for name in AlgorithmPreferences.legacy[kind] {
                #expect(supported.contains(name), "libssh2 \(LibSSH2Runtime.version) lacks \(name)")
            }
        }
        try AlgorithmPreferences.modern.apply(to: session)
        try AlgorithmPreferences.legacy.apply(to: session)
        let modern = AlgorithmPreferences.Kind.allCases.flatMap { AlgorithmPreferences.modern[$0] }
        for weak in ["arcfour", "arcfour128", "3des-cbc", "aes128-cbc", "blowfish-cbc", "cast128-cbc", "hmac-md5", "hmac-sha1",
                     "hmac-sha1-96", "ssh-rsa", "ssh-dss", "diffie-hellman-group1-sha1", "diffie-hellman-group14-sha1",
                     "diffie-hellman-group-exchange-sha1"] {
            #expect(!modern.contains(weak), "\(weak) is proposed by default")
        }
        let legacy = AlgorithmPreferences.Kind.allCases.flatMap { AlgorithmPreferences.legacy[$0] }
        for broken in ["arcfour", "arcfour128", "blowfish-cbc", "cast128-cbc", "hmac-md5", "diffie-hellman-group1-sha1"] {
            #expect(!legacy.contains(broken), "\(broken) is proposed even with legacy algorithms")
        }
        // The modern ones come first even with legacy ones allowed.
        for kind in AlgorithmPreferences.Kind.allCases {
            #expect(Array(AlgorithmPreferences.legacy[kind].prefix(AlgorithmPreferences.modern[kind].count)) == AlgorithmPreferences.modern[kind])
        }
    }
}
