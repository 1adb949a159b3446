import HostKeys
import Testing

@Suite("Matching host patterns")
struct HostMatchingTests {
    private func entry(_ hosts: String) -> KnownHostsEntry {
        KnownHostsFile(path: "kh", contents: "\(hosts) \(Keys.ed25519(1).line)").entries[0]
    }

    @Test func plainNameMatchesPort22Only() {
        let e = entry("example.com,10.0.0.1")
        #expect(e.matches(host: "example.com", port: 22))
        #expect(e.matches(host: "EXAMPLE.com", port: 22))
        #expect(e.matches(host: "10.0.0.1", port: 22))
        #expect(!e.matches(host: "example.com", port: 2222))
        #expect(!e.matches(host: "example.org", port: 22))
    }

    @Test func bracketedFormMatchesItsPort() {
        let e = entry("[example.com]:2222")
        #expect(e.matches(host: "example.com", port: 2222))
        #expect(!e.matches(host: "example.com", port: 22))
        #expect(!e.matches(host: "example.com", port: 2223))
        #expect(entry("[example.com]:22").matches(host: "example.com", port: 22))
    }

    @Test func wildcards() {
        let e = entry("*.example.com,web?.internal")
        #expect(e.matches(host: "a.example.com", port: 22))
        #expect(e.matches(host: "a.b.example.com", port: 22))
        #expect(!e.matches(host: "example.com", port: 22))
        #expect(e.matches(host: "web1.internal", port: 22))
        #expect(!e.matches(host: "web12.internal", port: 22))
        #expect(!e.matches(host: "a.example.com", port: 2222))
        #expect(entry("[*.example.com]:*").matches(host: "a.example.com", port: 2222))
    }

    @Test func negationExcludesHost() {
        let e = entry("*.example.com,!bastion.example.com")
        #expect(e.matches(host: "web.example.com", port: 22))
        #expect(!e.matches(host: "bastion.example.com", port: 22))
        #expect(!entry("!web").matches(host: "other", port: 22))
    }

    @Test func hashedEntriesFromSSHKeygen() {
        let port22 = entry(Keys.hashedPort22)
        #expect(port22.matches(host: "example.com", port: 22))
        #expect(port22.matches(host: "Example.COM", port: 22))
        #expect(!port22.matches(host: "example.org", port: 22))
        #expect(!port22.matches(host: "example.com", port: 2222))
        let port2222 = entry(Keys.hashedPort2222)
        #expect(port2222.matches(host: "example.com", port: 2222))
        #expect(!port2222.matches(host: "example.com", port: 22))
    }

    @Test(.enabled(if: SSHKeygen.path != nil, "needs ssh-keygen"))
    func freshlyHashedEntriesMatch() throws {
        let dir = try TemporaryDirectory()
        let file = try dir.write("known_hosts", """
            db.internal \(Keys.ed25519(5).line)
            [db.internal]:2200 \(Keys.ed25519(6).line)

            """)
        _ = try SSHKeygen.run(["-H", "-f", file])
        let hashed = try KnownHostsFile.load(path: file)
        #expect(hashed.entries.count == 2)
        #expect(hashed.entries.allSatisfy { $0.hostsField.hasPrefix("|1|") })
        let verifier = HostKeyVerifier(knownHostsFiles: [file], policy: .strict, pinnedFingerprint: nil)
        #expect(try verifier.verify(host: "db.internal", port: 22, key: Keys.ed25519(5)) == .known(file: file, line: 1))
        #expect(try verifier.verify(host: "db.internal", port: 2200, key: Keys.ed25519(6)) == .known(file: file, line: 2))
    }
}
