import Crypto
import Foundation

/// Reads an unencrypted openssh-key-v1 private key (PROTOCOL.key in OpenSSH) into a signer:
/// ed25519 and ecdsa on the NIST curves. Anything else, an encrypted key, or a file that does
/// not parse is nil, and libssh2 reads the file itself as before.
enum OpenSSHPrivateKey {
    static func signer(pem text: String) -> IdentitySigner? {
        guard text.contains("-----BEGIN OPENSSH PRIVATE KEY-----") else { return nil }
        let body = text.split(whereSeparator: \.isNewline)
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.hasPrefix("-----") }
            .joined()
        guard let blob = Data(base64Encoded: body) else { return nil }
        var reader = SSHWireReader(Array(blob))
        guard reader.skipMagic("openssh-key-v1\0"),
              reader.string() == "none", reader.string() == "none", reader.bytes() != nil,
              reader.uint32() == 1, let publicBlob = reader.bytes(), let secret = reader.bytes() else { return nil }
        var keys = SSHWireReader(secret)
        guard let check1 = keys.uint32(), let check2 = keys.uint32(), check1 == check2,
              let type = keys.string() else { return nil }
        let signer: IdentitySigner?
        switch type {
        case "ssh-ed25519":
            guard let pub = keys.bytes(), pub.count == 32, let pair = keys.bytes(), pair.count == 64,
                  Array(pair[32...]) == pub,
                  let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: pair[..<32]) else { return nil }
            signer = .ed25519(key)
        case "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521":
            guard keys.string() != nil, keys.bytes() != nil, let scalar = keys.bytes() else { return nil }
            signer = ecdsa(type, scalar: Array(scalar.drop { $0 == 0 }))
        default:
            return nil
        }
        // The public half must be the one the file names: a key that does not match itself is
        // left to libssh2, whose error the operator already knows.
        guard let signer, signer.publicKeyBlob == publicBlob else { return nil }
        return signer
    }

    private static func ecdsa(_ type: String, scalar: [UInt8]) -> IdentitySigner? {
        func padded(_ size: Int) -> [UInt8]? {
            scalar.count <= size ? [UInt8](repeating: 0, count: size - scalar.count) + scalar : nil
        }
        switch type {
        case "ecdsa-sha2-nistp256": return padded(32).flatMap { try? P256.Signing.PrivateKey(rawRepresentation: $0) }.map(IdentitySigner.p256)
        case "ecdsa-sha2-nistp384": return padded(48).flatMap { try? P384.Signing.PrivateKey(rawRepresentation: $0) }.map(IdentitySigner.p384)
        default: return padded(66).flatMap { try? P521.Signing.PrivateKey(rawRepresentation: $0) }.map(IdentitySigner.p521)
        }
    }
}
