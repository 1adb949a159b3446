import Foundation
import HostKeys
import Testing

@Suite("Pinned fingerprints and fingerprint format")
struct PinningAndFingerprintTests {
    @Test func fingerprintMatchesKnownSSHKeygenOutput() {
        #expect(Keys.real.fingerprint == Keys.realFingerprint)
    }

    @Test(.enabled(if: SSHKeygen.path != nil, "needs ssh-keygen"))
    func fingerprintMatchesFreshSSHKeygenKey() throws {
        let dir = try TemporaryDirectory()
        let keyPath = dir.path + "/id"
        _ = try SSHKeygen.run(["-q", "-t", "ed25519", "-N", "", "-C", "t", "-f", keyPath])
        let publicLine = try String(contentsOfFile: keyPath + ".pub", encoding: .utf8).split(separator: " ")
        let key = HostKey(algorithm: String(publicLine[0]), blob: Array(Data(base64Encoded: String(publicLine[1]))!))
        let listed = try SSHKeygen.run(["-lf", keyPath + ".pub"]).split(separator: " ")
        #expect(key.fingerprint == String(listed[1]))
    }

    @Test(arguments: [Keys.realFingerprint, String(Keys.realFingerprint.dropFirst(7)), " \(Keys.realFingerprint)= "])
    func pinMatches(pin: String) throws {
        let verifier = HostKeyVerifier(knownHostsFiles: [], policy: .strict, pinnedFingerprint: pin)
        #expect(try verifier.verify(host: "web1", port: 22, key: Keys.real) == .pinned)
    }

    @Test func pinMismatchIsRefusedEvenIfKnown() throws {
        let dir = try TemporaryDirectory()
        let file = try dir.write("known_hosts", "web1 \(Keys.ed25519(1).line)\n")
        let verifier = HostKeyVerifier(knownHostsFiles: [file], policy: .acceptNew, pinnedFingerprint: Keys.realFingerprint)
        do {
            _ = try verifier.verify(host: "web1", port: 2222, key: Keys.ed25519(1))
            Issue.record("expected a pin mismatch")
        } catch {
            #expect(error.code == .pinMismatch)
            #expect(error.description.contains("[web1]:2222"))
            #expect(error.description.contains(Keys.ed25519(1).fingerprint))
            #expect(error.description.contains(Keys.realFingerprint))
        }
    }

    @Test func policyRawValues() {
        #expect(HostKeyPolicy(rawValue: "accept-new") == .acceptNew)
        #expect(HostKeyPolicy.allCases == [.strict, .acceptNew])
    }
}
