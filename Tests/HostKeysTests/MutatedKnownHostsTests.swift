import Foundation
import Testing
import TestSupport
@testable import HostKeys

/// Mutated known_hosts files: parsing never crashes, and verification answers every time.
@Suite("Mutated known_hosts", .timeLimit(.minutes(1)))
struct MutatedKnownHostsTests {
    static let sample = """
    # comment
    web-1,10.0.0.11 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl web-1
    [10.0.0.12]:2222 ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBEmKSENjQEezOmxkZMy7opKgwFB9nkt5YRrYMjNuG5N87uRgg6CLrbo5wAdT/y6v0mKV9U2W9aA8lDTldv6CK7M=
    |1|F1E1KeoE/eEWhi10WpGv4OdiO6Y=|3988QV0VE8wmZL7suNrYQLITLCg= ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl
    @revoked * ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHd0c2lkZW50aWFsbHktcmV2b2tlZC1rZXktZm9yLXRlc3Q=
    @cert-authority *.example.com ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl
    !bad,*.web ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQ==
    """

    @Test func everyMutationParsesAndVerifies() throws {
        let path = FileManager.default.temporaryDirectory.path + "/cutover-kh-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: path) }
        var mutator = InputMutator(seed: 99)
        let key = HostKey(algorithm: "ssh-ed25519", blob: Array(repeating: 7, count: 51))
        var answers = 0
        for _ in 0..<400 {
            let text = mutator.mutate(Self.sample)
            _ = KnownHostsFile(path: path, contents: text)
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            let verifier = HostKeyVerifier(knownHostsFiles: [path], policy: .strict, pinnedFingerprint: nil)
            do {
                _ = try verifier.verify(host: "web-1", port: 22, key: key)
            } catch {
                #expect(!error.description.isEmpty)
            }
            answers += 1
        }
        #expect(answers == 400)
    }
}
