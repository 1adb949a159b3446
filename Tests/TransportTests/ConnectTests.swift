import Foundation
import Testing
import TestSupport
@testable import Transport

@Suite("Connecting and authenticating", .timeLimit(.minutes(2)))
struct ConnectTests {
    @Test func aWrongUserIsRefusedWithWhatWasTried() async throws {
        try await TestFleet.with(hosts: 1) { fleet in
            do {
                _ = try await SSHConnection.connect(to: fleet.endpoint(user: "nobody-here"))
                Issue.record("connected as an unknown user")
            } catch let error as SSHError {
                #expect(error.code == .authentication)
                #expect(error.message.contains(fleet.identityPath))
                #expect(error.message.contains("refused by the server"))
            }
        }
    }

    @Test func anUnreachableHostFailsFastAndSaysSo() async throws {
        try await TestFleet.with(hosts: 1) { fleet in
            try await fleet.stopHost("h1")
            let started = ContinuousClock.now
            do {
                _ = try await SSHConnection.connect(to: fleet.endpoint(), options: SSHOptions(connectTimeout: .seconds(3)))
                Issue.record("connected to a stopped host")
            } catch let error as SSHError {
                #expect(error.isUnreachable)
                #expect(error.message.contains("h1"))
            }
            // Refused at once: far inside the 3 s timeout on an idle machine, and never the
            // kernel's two minutes of SYN retries (the bound leaves room for a loaded one).
            #expect(ContinuousClock.now - started < .seconds(60))
        }
    }

    @Test func anRSAKeyOnOldLibSSH2IsExplained() async throws {
        guard !LibSSH2Runtime.supportsRSASHA2 else { return }
        try await TestFleet.with(hosts: 1) { fleet in
            let key = fleet.directory + "/id_rsa"
            try await Shell.runDetached(["ssh-keygen", "-q", "-t", "rsa", "-b", "2048", "-N", "", "-f", key])
            var endpoint = fleet.endpoint()
            endpoint.identityFiles = [key]
            do {
                _ = try await SSHConnection.connect(to: endpoint)
                Issue.record("connected with an RSA key")
            } catch let error as SSHError {
                #expect(error.code == .authentication)
                #expect(error.message.contains("ed25519"))
                #expect(error.message.contains(LibSSH2Runtime.version))
            }
        }
    }

    @Test func anEncryptedKeyUsesThePassphraseFromTheNamedVariable() async throws {
        try await TestFleet.with(hosts: 1) { fleet in
            let key = fleet.directory + "/id_locked"
            try await Shell.runDetached(["ssh-keygen", "-q", "-t", "ed25519", "-N", "s3cret pass", "-f", key])
            let pub = try String(contentsOfFile: key + ".pub", encoding: .utf8)
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: fleet.directory + "/authorized_keys"))
            try handle.seekToEnd()
            try handle.write(contentsOf: Data(pub.utf8))
            try handle.close()
            var endpoint = fleet.endpoint()
            endpoint.identityFiles = [key]
            endpoint.passphraseEnvironmentVariable = "CUTOVER_TEST_PASSPHRASE_UNSET"
            do {
                _ = try await SSHConnection.connect(to: endpoint)
                Issue.record("connected without a passphrase")
            } catch let error as SSHError {
                #expect(error.message.contains("CUTOVER_TEST_PASSPHRASE_UNSET is not set"))
            }
            setenv("CUTOVER_TEST_PASSPHRASE", "s3cret pass", 1)
            endpoint.passphraseEnvironmentVariable = "CUTOVER_TEST_PASSPHRASE"
            let connection = try await SSHConnection.connect(to: endpoint)
            #expect(try await connection.run("true").exitStatus == 0)
            await connection.close()
        }
    }
}
