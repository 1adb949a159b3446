import Crypto
import Foundation

/// The ed25519 key pair of one relay edge (one source, one receiver, one transfer), made in
/// memory on the runner and never written to its disk. Its public half is authorised on that
/// source only, for a forced `cat` of the relay copy, and removed when the receiver is done; its
/// private half travels on stdin to the source (for the check that its sshd confines the key)
/// and then to the receiver.
///
/// - Important: ``privateKeyLine`` is a secret: it goes to the hosts on stdin only, never on a
///   command line, into an event, a report or a log. Printing the value shows no key material.
struct RelayKey: Sendable, CustomStringConvertible {
    /// `ssh-ed25519 AAAA…`: the public key as authorized_keys writes it.
    let publicKey: String
    /// The private key in OpenSSH's format (`-----BEGIN OPENSSH PRIVATE KEY-----` …), base64
    /// encoded once more onto one line, for a host to read with `read` and decode with `base64 -d`.
    let privateKeyLine: String

    /// A fresh key pair. `comment` is written into the private key (OpenSSH shows it).
    init(comment: String) {
        let key = Curve25519.Signing.PrivateKey()
        let seed = Array(key.rawRepresentation)
        let publicBytes = Array(key.publicKey.rawRepresentation)
        var blob = SSHWire()
        blob.string(Array("ssh-ed25519".utf8))
        blob.string(publicBytes)
        publicKey = "ssh-ed25519 " + Data(blob.bytes).base64EncodedString()

        // openssh-key-v1 (OpenSSH's PROTOCOL.key): unencrypted, one key.
        let check = UInt32.random(in: .min ... .max)
        var secret = SSHWire()
        secret.uint32(check)
        secret.uint32(check)
        secret.string(Array("ssh-ed25519".utf8))
        secret.string(publicBytes)
        secret.string(seed + publicBytes)
        secret.string(Array(comment.utf8))
        var pad: UInt8 = 1
        while secret.bytes.count % 8 != 0 {
            secret.bytes.append(pad)
            pad += 1
        }
        var file = SSHWire()
        file.bytes = Array("openssh-key-v1".utf8) + [0]
        file.string(Array("none".utf8))
        file.string(Array("none".utf8))
        file.string([])
        file.uint32(1)
        file.string(blob.bytes)
        file.string(secret.bytes)
        let body = Data(file.bytes).base64EncodedString(options: [.lineLength64Characters, .endLineWithLineFeed])
        let pem = "-----BEGIN OPENSSH PRIVATE KEY-----\n" + body + "\n-----END OPENSSH PRIVATE KEY-----\n"
        privateKeyLine = Data(pem.utf8).base64EncodedString()
    }

    var description: String { "RelayKey(\(publicKey), private key not shown)" }
}

/// SSH wire encoding (RFC 4251): big-endian `uint32` and length-prefixed strings.
private struct SSHWire {
    var bytes: [UInt8] = []

    mutating func uint32(_ value: UInt32) {
        bytes += [UInt8(value >> 24), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)]
    }

    mutating func string(_ value: [UInt8]) {
        uint32(UInt32(value.count))
        bytes += value
    }
}
