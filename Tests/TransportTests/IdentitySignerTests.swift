import Foundation
import Testing
import TestSupport
@testable import Transport

/// Keys Cutover signs with itself instead of letting libssh2 decode the file per host: each
/// kind ssh-keygen makes is read to the public key ssh-keygen wrote, and authenticates against
/// a real sshd; what the signer cannot read is still authenticated by libssh2.
@Suite("Identity keys read once and signed by Cutover", .timeLimit(.minutes(2)))
struct IdentitySignerTests {
    static let kinds: [(type: String, bits: String?, name: String)] = [
        ("ed25519", nil, "ssh-ed25519"), ("ecdsa", "256", "ecdsa-sha2-nistp256"),
        ("ecdsa", "384", "ecdsa-sha2-nistp384"), ("ecdsa", "521", "ecdsa-sha2-nistp521"),
    ]

    @Test(arguments: 0..<kinds.count)
    func aKeyFromSSHKeygenReadsToItsPublicKeyAndLogsIn(kind: Int) async throws {
        let (type, bits, name) = Self.kinds[kind]
        try await TestFleet.with(hosts: 1) { fleet in
            let key = fleet.directory + "/id_\(type)\(bits ?? "")"
            try await Shell.runDetached(["ssh-keygen", "-q", "-t", type] + (bits.map { ["-b", $0] } ?? []) + ["-N", "", "-f", key])
            let pub = try String(contentsOfFile: key + ".pub", encoding: .utf8)
            let fields = pub.split(separator: " ")
            let signer = try #require(IdentityFiles.load(key).signer, "the signer did not read the \(name) key")
            #expect(String(fields[0]) == name)
            #expect(Data(signer.publicKeyBlob).base64EncodedString() == String(fields[1]))

            try Self.authorize(pub, in: fleet)
            var endpoint = fleet.endpoint()
            endpoint.identityFiles = [key]
            endpoint.useAgent = false
            let connection = try await SSHConnection.connect(to: endpoint)
            #expect(try await connection.run("true").exitStatus == 0)
            await connection.close()
        }
    }

    @Test func aKeyNotAuthorizedIsRefusedAndNamed() async throws {
        try await TestFleet.with(hosts: 1) { fleet in
            let key = fleet.directory + "/id_stranger"
            try await Shell.runDetached(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", key])
            #expect(IdentityFiles.load(key).signer != nil)
            var endpoint = fleet.endpoint()
            endpoint.identityFiles = [key]
            endpoint.useAgent = false
            do {
                _ = try await SSHConnection.connect(to: endpoint)
                Issue.record("connected with a key the host does not authorize")
            } catch let error as SSHError {
                #expect(error.code == .authentication)
                #expect(error.message.contains("\(key) (ssh-ed25519): refused by the server"))
            }
        }
    }

    @Test func aFileWhosePublicHalfDoesNotMatchIsLeftToLibSSH2() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cutover-signer-\(getpid())-\(UInt32.random(in: 0...UInt32.max))").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let first = directory + "/a", second = directory + "/b"
        for key in [first, second] {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/ssh-keygen")
            process.arguments = ["-q", "-t", "ed25519", "-N", "", "-f", key]
            try process.run()
            process.waitUntilExit()
        }
        // The public key section of one file with the private section of the other.
        func blob(_ path: String) throws -> [UInt8] {
            let text = try String(contentsOfFile: path, encoding: .utf8)
            let body = text.split(separator: "\n").filter { !$0.hasPrefix("-----") }.joined()
            return Array(try #require(Data(base64Encoded: body)))
        }
        let a = try blob(first), b = try blob(second)
        // magic(15) + "none"(8) + "none"(8) + ""(4) + count(4) = 39; then the public key string.
        let publicLength = 4 + 51
        let mixed = Array(a[..<39]) + Array(b[39..<(39 + publicLength)]) + Array(a[(39 + publicLength)...])
        let pem = "-----BEGIN OPENSSH PRIVATE KEY-----\n" + Data(mixed).base64EncodedString(options: .lineLength64Characters)
            + "\n-----END OPENSSH PRIVATE KEY-----\n"
        #expect(OpenSSHPrivateKey.signer(pem: pem) == nil)
        #expect(OpenSSHPrivateKey.signer(pem: "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaA==\n-----END OPENSSH PRIVATE KEY-----\n") == nil)
        let original = try String(contentsOfFile: first, encoding: .utf8)
        #expect(OpenSSHPrivateKey.signer(pem: original) != nil)
    }

    static func authorize(_ pub: String, in fleet: TestFleet) throws {
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: fleet.directory + "/authorized_keys"))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(pub.utf8))
        try handle.close()
    }
}
