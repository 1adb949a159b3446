import Crypto

/// A private key Cutover signs with itself (swift-crypto), so that authentication does not make
/// libssh2 read and decode the key file for every host: with OpenSSL 3 that decode looks up
/// decoders for every key type each time, and was the runner's largest cost per connection.
/// Only unencrypted OpenSSH-format ed25519 and ecdsa keys; every other key is left to libssh2.
enum IdentitySigner: @unchecked Sendable {
    case ed25519(Curve25519.Signing.PrivateKey)
    case p256(P256.Signing.PrivateKey)
    case p384(P384.Signing.PrivateKey)
    case p521(P521.Signing.PrivateKey)

    /// The SSH wire-format public key blob (RFC 4253 §6.6; RFC 5656 §3.1; RFC 8709 §4).
    var publicKeyBlob: [UInt8] {
        var writer = SSHWireWriter()
        switch self {
        case .ed25519(let key):
            writer.string("ssh-ed25519")
            writer.bytes(Array(key.publicKey.rawRepresentation))
        case .p256(let key):
            writer.string("ecdsa-sha2-nistp256"); writer.string("nistp256")
            writer.bytes(Array(key.publicKey.x963Representation))
        case .p384(let key):
            writer.string("ecdsa-sha2-nistp384"); writer.string("nistp384")
            writer.bytes(Array(key.publicKey.x963Representation))
        case .p521(let key):
            writer.string("ecdsa-sha2-nistp521"); writer.string("nistp521")
            writer.bytes(Array(key.publicKey.x963Representation))
        }
        return writer.output
    }

    /// The signature as libssh2's sign callback returns it: the inside of the SSH signature
    /// blob, without its algorithm name — 64 raw bytes for ed25519 (RFC 8709 §6), `mpint r,
    /// mpint s` for ecdsa (RFC 5656 §3.1.2; the curve's hash is applied by swift-crypto).
    func sign(_ data: [UInt8]) throws -> [UInt8] {
        switch self {
        case .ed25519(let key):
            return Array(try key.signature(for: data))
        case .p256(let key):
            return Self.mpints(Array(try key.signature(for: data).rawRepresentation))
        case .p384(let key):
            return Self.mpints(Array(try key.signature(for: data).rawRepresentation))
        case .p521(let key):
            return Self.mpints(Array(try key.signature(for: data).rawRepresentation))
        }
    }

    /// `r || s` (equal halves) as two SSH mpints.
    private static func mpints(_ raw: [UInt8]) -> [UInt8] {
        let half = raw.count / 2
        var writer = SSHWireWriter()
        writer.mpint(Array(raw[..<half]))
        writer.mpint(Array(raw[half...]))
        return writer.output
    }
}

/// Writes SSH wire-format fields (RFC 4251 §5).
struct SSHWireWriter {
    private(set) var output: [UInt8] = []

    mutating func uint32(_ value: UInt32) {
        output += [UInt8(value >> 24), UInt8(value >> 16 & 0xff), UInt8(value >> 8 & 0xff), UInt8(value & 0xff)]
    }

    mutating func bytes(_ bytes: [UInt8]) {
        uint32(UInt32(bytes.count))
        output += bytes
    }

    mutating func string(_ text: String) { bytes(Array(text.utf8)) }

    /// A non-negative integer from its big-endian magnitude: no leading zero bytes, one zero
    /// byte added when the top bit is set.
    mutating func mpint(_ magnitude: [UInt8]) {
        var digits = Array(magnitude.drop { $0 == 0 })
        if let first = digits.first, first & 0x80 != 0 { digits.insert(0, at: 0) }
        bytes(digits)
    }
}
