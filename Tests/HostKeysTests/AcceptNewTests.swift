import Foundation
import HostKeys
import Testing

@Suite("accept-new policy")
struct AcceptNewTests {
    private func acceptNew(_ files: String...) -> HostKeyVerifier {
        HostKeyVerifier(knownHostsFiles: files, policy: .acceptNew, pinnedFingerprint: nil)
    }

    @Test func appendsOnceThenKnown() throws {
        let dir = try TemporaryDirectory()
        let file = try dir.write("known_hosts", "other \(Keys.ed25519(9).line)")
        let verifier = acceptNew(file)
        #expect(try verifier.verify(host: "Web1", port: 22, key: Keys.ed25519(1)) == .addedNew(file: file))
        #expect(try verifier.verify(host: "web1", port: 22, key: Keys.ed25519(1)) == .known(file: file, line: 2))
        #expect(try dir.read("known_hosts") == "other \(Keys.ed25519(9).line)\nweb1 \(Keys.ed25519(1).line)\n")
    }

    @Test func usesBracketFormForOtherPorts() throws {
        let dir = try TemporaryDirectory()
        let file = dir.path + "/known_hosts"
        #expect(try acceptNew(file).verify(host: "web1", port: 2222, key: Keys.ed25519(1)) == .addedNew(file: file))
        #expect(try dir.read("known_hosts") == "[web1]:2222 \(Keys.ed25519(1).line)\n")
        #expect(try acceptNew(file).verify(host: "web1", port: 2222, key: Keys.ed25519(1)) == .known(file: file, line: 1))
    }

    @Test func writesKeyTypeFromBlobNotSignatureAlgorithm() throws {
        let dir = try TemporaryDirectory()
        let file = dir.path + "/known_hosts"
        var key = Keys.rsa(1)
        key.algorithm = "rsa-sha2-512"
        _ = try acceptNew(file).verify(host: "web1", port: 22, key: key)
        #expect(try dir.read("known_hosts").hasPrefix("web1 ssh-rsa "))
    }

    @Test func createsMissingFileAndDirectoryPrivately() throws {
        let dir = try TemporaryDirectory()
        let file = dir.path + "/ssh/known_hosts"
        #expect(try acceptNew(file, dir.path + "/other").verify(host: "web1", port: 22, key: Keys.ed25519(1)) == .addedNew(file: file))
        let fileMode = try FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? Int
        let dirMode = try FileManager.default.attributesOfItem(atPath: dir.path + "/ssh")[.posixPermissions] as? Int
        #expect(fileMode == 0o600)
        #expect(dirMode == 0o700)
    }

    @Test func neverOverwritesChangedKey() throws {
        let dir = try TemporaryDirectory()
        let original = "web1 \(Keys.ed25519(1).line)\n"
        let file = try dir.write("known_hosts", original)
        #expect(throws: HostKeyError(code: .changed, description: "")) {
            try acceptNew(file).verify(host: "web1", port: 22, key: Keys.ed25519(2))
        }
        #expect(try dir.read("known_hosts") == original)
    }

    @Test func hostKnownOnlyInLaterFileIsNotAppended() throws {
        let dir = try TemporaryDirectory()
        let first = dir.path + "/known_hosts"
        let second = try dir.write("global", "web1 \(Keys.ed25519(1).line)\n")
        #expect(try acceptNew(first, second).verify(host: "web1", port: 22, key: Keys.ed25519(1)) == .known(file: second, line: 1))
        #expect(!FileManager.default.fileExists(atPath: first))
    }

    @Test func revokedKeyIsNotAccepted() throws {
        let dir = try TemporaryDirectory()
        let file = try dir.write("known_hosts", "@revoked * \(Keys.ed25519(1).line)\n")
        #expect(throws: HostKeyError(code: .revoked, description: "")) {
            try acceptNew(file).verify(host: "web1", port: 22, key: Keys.ed25519(1))
        }
    }

    @Test func concurrentCallersAppendOnce() async throws {
        let dir = try TemporaryDirectory()
        let file = dir.path + "/known_hosts"
        let verifier = acceptNew(file)
        let results = await withTaskGroup(of: HostKeyTrust?.self) { group in
            for _ in 0..<16 {
                group.addTask { try? verifier.verify(host: "web1", port: 22, key: Keys.ed25519(1)) }
            }
            return await group.reduce(into: [HostKeyTrust?]()) { $0.append($1) }
        }
        #expect(results.filter { $0 == .addedNew(file: file) }.count == 1)
        #expect(results.filter { $0 == .known(file: file, line: 1) }.count == 15)
        #expect(try dir.read("known_hosts") == "web1 \(Keys.ed25519(1).line)\n")
    }
}
