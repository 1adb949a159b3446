import Crypto
import Foundation

/// A server's public host key as offered during the SSH handshake.
public struct HostKey: Sendable, Hashable {
    /// The key algorithm name, e.g. `ssh-ed25519`, `ecdsa-sha2-nistp256`, `ssh-rsa`.
    public var algorithm: String
    /// The raw public key blob exactly as sent by the server.
    public var blob: [UInt8]

    /// Creates a host key from its algorithm name and raw blob.
    public init(algorithm: String, blob: [UInt8]) {
        self.algorithm = algorithm
        self.blob = blob
    }

    /// The OpenSSH-style fingerprint: `SHA256:` followed by unpadded base64 of SHA-256(blob).
    public var fingerprint: String {
        let digest = Data(SHA256.hash(data: blob))
        var encoded = digest.base64EncodedString()
        while encoded.hasSuffix("=") { encoded.removeLast() }
        return "SHA256:" + encoded
    }

    /// The key type recorded in a known_hosts line: the type embedded in the blob when readable, else `algorithm`.
    ///
    /// Servers may report a signature algorithm such as `rsa-sha2-512`; known_hosts stores the key type `ssh-rsa`.
    var knownHostsType: String {
        SSHKeyBlob.embeddedType(of: blob) ?? algorithm
    }

    /// The blob encoded as standard padded base64, as written in known_hosts.
    var base64Blob: String {
        Data(blob).base64EncodedString()
    }
}
