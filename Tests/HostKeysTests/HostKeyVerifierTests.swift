import HostKeys
import Testing

@Suite("Verifying against known_hosts")
struct HostKeyVerifierTests {
    private func strict(_ files: String...) -> HostKeyVerifier {
        HostKeyVerifier(knownHostsFiles: files, policy: .strict, pinnedFingerprint: nil)
    }

    /// Runs `body`, expecting a HostKeyError, and returns it.
    private func refusal(_ body: () throws(HostKeyError) -> HostKeyTrust) -> HostKeyError? {
        do {
            _ = try body()
            return nil
        } catch {
            return error
        }
    }

    @Test func plainEntryIsKnown() throws {
        let dir = try TemporaryDirectory()
        let file = try dir.write("known_hosts", "# header\nother \(Keys.ed25519(9).line)\nweb1 \(Keys.ed25519(1).line)\n")
        #expect(try strict(file).verify(host: "web1", port: 22, key: Keys.ed25519(1)) == .known(file: file, line: 3))
    }

    @Test func bracketedEntryIsKnownOnItsPortOnly() throws {
        let dir = try TemporaryDirectory()
        let file = try dir.write("known_hosts", "[web1]:2222 \(Keys.ed25519(1).line)\n")
        #expect(try strict(file).verify(host: "web1", port: 2222, key: Keys.ed25519(1)) == .known(file: file, line: 1))
        let error = refusal { () throws(HostKeyError) in try strict(file).verify(host: "web1", port: 22, key: Keys.ed25519(1)) }
        #expect(error?.code == .unknownHost)
    }

    /// OpenSSH 9.2, `ssh -v -p 2222` with only a bare-name line: "checking without port identifier",
    /// "found matching key w/out port", and the host is trusted; a bare line with another key, or
    /// any line under `[host]:port`, decides as usual.
    @Test func aHostOnAnotherPortWithNoBracketedLineFallsBackToItsBareName() throws {
        let dir = try TemporaryDirectory()
        let bare = try dir.write("bare", "web1 \(Keys.ed25519(1).line)\n")
        #expect(try strict(bare).verify(host: "web1", port: 2222, key: Keys.ed25519(1)) == .known(file: bare, line: 1))
        let otherKey = refusal { () throws(HostKeyError) in try strict(bare).verify(host: "web1", port: 2222, key: Keys.ed25519(2)) }
        #expect(otherKey?.code == .unknownHost)
        let both = try dir.write("both", "[web1]:2222 \(Keys.ed25519(2).line)\nweb1 \(Keys.ed25519(1).line)\n")
        let changed = refusal { () throws(HostKeyError) in try strict(both).verify(host: "web1", port: 2222, key: Keys.ed25519(1)) }
        #expect(changed?.code == .changed)
    }

    @Test func hashedEntryIsKnown() throws {
        let dir = try TemporaryDirectory()
        let file = try dir.write("known_hosts", "\(Keys.hashedPort2222) \(Keys.real.line)\n")
        #expect(try strict(file).verify(host: "example.com", port: 2222, key: Keys.real) == .known(file: file, line: 1))
    }

    @Test func laterFilesAreSearched() throws {
        let dir = try TemporaryDirectory()
        let missing = dir.path + "/missing"
        let second = try dir.write("global", "web1 \(Keys.ed25519(1).line)")
        #expect(try strict(missing, second).verify(host: "web1", port: 22, key: Keys.ed25519(1)) == .known(file: second, line: 1))
    }

    @Test func changedKeyIsRefusedWithPosition() throws {
        let dir = try TemporaryDirectory()
        let file = try dir.write("known_hosts", "\nweb1,web2 \(Keys.ed25519(1).line)\n[web1]:2222 \(Keys.ed25519(1).line)\n")
        let error = refusal { () throws(HostKeyError) in try strict(file).verify(host: "web1", port: 2222, key: Keys.ed25519(2)) }
        #expect(error?.code == .changed)
        let message = error?.description ?? ""
        #expect(message.contains("[web1]:2222"))
        #expect(message.contains("\(file):3"))
        #expect(message.contains(Keys.ed25519(2).fingerprint))
        #expect(message.contains("ssh-ed25519"))
        #expect(!message.contains("\(file):2"))
    }

    @Test func differentKeyTypeIsAlsoChanged() throws {
        let dir = try TemporaryDirectory()
        let file = try dir.write("known_hosts", "web1 \(Keys.rsa(1).line)\n")
        let error = refusal { () throws(HostKeyError) in try strict(file).verify(host: "web1", port: 22, key: Keys.ed25519(1)) }
        #expect(error?.code == .changed)
        #expect(error?.description.contains("\(file):1") == true)
    }

    @Test func revokedKeyIsRefusedEvenIfTrustedElsewhere() throws {
        let dir = try TemporaryDirectory()
        let trusted = try dir.write("known_hosts", "web1 \(Keys.ed25519(1).line)\n")
        let revocations = try dir.write("global", "# revocations\n@revoked * \(Keys.ed25519(1).line)\n")
        let error = refusal { () throws(HostKeyError) in try strict(trusted, revocations).verify(host: "web1", port: 22, key: Keys.ed25519(1)) }
        #expect(error?.code == .revoked)
        #expect(error?.description.contains("\(revocations):2") == true)
    }

    @Test func revokedLineWithOddHostsFieldStillRevokes() throws {
        let dir = try TemporaryDirectory()
        let file = try dir.write("known_hosts", "web1 \(Keys.ed25519(1).line)\n@revoked |1|x|y \(Keys.ed25519(1).line)\n")
        let error = refusal { () throws(HostKeyError) in try strict(file).verify(host: "web1", port: 22, key: Keys.ed25519(1)) }
        #expect(error?.code == .revoked)
    }

    @Test func certAuthorityIsReportedAsUnsupported() throws {
        let dir = try TemporaryDirectory()
        let file = try dir.write("known_hosts", "@cert-authority *.example.com \(Keys.ed25519(7).line)\n")
        let error = refusal { () throws(HostKeyError) in try strict(file).verify(host: "web.example.com", port: 22, key: Keys.ed25519(1)) }
        #expect(error?.code == .unsupported)
        #expect(error?.description.contains("@cert-authority") == true)
        #expect(error?.description.contains("\(file):1") == true)
    }

    @Test func strictRefusesUnknownHostWithHint() throws {
        let dir = try TemporaryDirectory()
        let file = try dir.write("known_hosts", "other \(Keys.ed25519(1).line)\n")
        let error = refusal { () throws(HostKeyError) in try strict(file).verify(host: "web1", port: 22, key: Keys.ed25519(1)) }
        #expect(error?.code == .unknownHost)
        let message = error?.description ?? ""
        #expect(message.contains("web1"))
        #expect(message.contains(Keys.ed25519(1).fingerprint))
        #expect(message.contains("ssh-keyscan"))
        #expect(message.contains("accept-new"))
        #expect(try dir.read("known_hosts") == "other \(Keys.ed25519(1).line)\n")
    }

    @Test func missingFilesAreTolerated() throws {
        let dir = try TemporaryDirectory()
        let error = refusal { () throws(HostKeyError) in
            try strict(dir.path + "/a/known_hosts", dir.path + "/b").verify(host: "web1", port: 22, key: Keys.ed25519(1))
        }
        #expect(error?.code == .unknownHost)
    }

    @Test func errorsCompareByCode() {
        #expect(HostKeyError(code: .changed, description: "a") == HostKeyError(code: .changed, description: "b"))
        #expect(HostKeyError(code: .changed, description: "a") != HostKeyError(code: .revoked, description: "a"))
        #expect(HostKeyError.Code.pinMismatch.description == "pinMismatch")
    }
}
