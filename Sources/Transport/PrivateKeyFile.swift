import Foundation

/// What can be learnt about a private key file without its passphrase: its algorithm and
/// whether it is encrypted. Used to skip keys the linked libssh2 cannot use and to explain why.
struct PrivateKeyFile: Sendable, Equatable {
    var path: String
    /// `ssh-ed25519`, `ecdsa-sha2-nistp256`, `ssh-rsa`, …; nil when unrecognised.
    var algorithm: String?
    var isEncrypted: Bool

    var isRSA: Bool { algorithm == "ssh-rsa" }

    /// Reads the key's header; nil when the file does not exist or cannot be read.
    static func inspect(path: String) -> PrivateKeyFile? {
        guard let data = FileManager.default.contents(atPath: path),
              let text = String(data: data, encoding: .utf8) else { return nil }
        if text.contains("-----BEGIN OPENSSH PRIVATE KEY-----") {
            return inspectOpenSSH(path: path, text: text)
        }
        let encrypted = text.contains("ENCRYPTED")
        if text.contains("BEGIN RSA PRIVATE KEY") { return .init(path: path, algorithm: "ssh-rsa", isEncrypted: encrypted) }
        if text.contains("BEGIN EC PRIVATE KEY") { return .init(path: path, algorithm: "ecdsa-sha2-nistp256", isEncrypted: encrypted) }
        if text.contains("BEGIN DSA PRIVATE KEY") { return .init(path: path, algorithm: "ssh-dss", isEncrypted: encrypted) }
        return .init(path: path, algorithm: publicKeyAlgorithm(path: path), isEncrypted: encrypted)
    }

    /// openssh-key-v1: magic, cipher name, kdf name, kdf options, key count, then the public
    /// key blob (never encrypted) whose first field is the algorithm.
    private static func inspectOpenSSH(path: String, text: String) -> PrivateKeyFile {
        let body = text.split(separator: "\n")
            .filter { !$0.hasPrefix("-----") }
            .joined()
        guard let blob = Data(base64Encoded: body) else {
            return .init(path: path, algorithm: nil, isEncrypted: false)
        }
        var reader = SSHWireReader(Array(blob))
        guard reader.skipMagic("openssh-key-v1\0"),
              let cipher = reader.string(), reader.string() != nil, reader.string() != nil,
              reader.uint32() != nil, let publicKey = reader.bytes() else {
            return .init(path: path, algorithm: nil, isEncrypted: false)
        }
        var keyReader = SSHWireReader(publicKey)
        return .init(path: path, algorithm: keyReader.string(), isEncrypted: cipher != "none")
    }

    private static func publicKeyAlgorithm(path: String) -> String? {
        guard let text = try? String(contentsOfFile: path + ".pub", encoding: .utf8) else { return nil }
        return text.split(separator: " ").first.map(String.init)
    }
}

/// Reads SSH wire-format fields (RFC 4251 §5).
struct SSHWireReader {
    private let data: [UInt8]
    private var offset = 0

    init(_ bytes: [UInt8]) { self.data = bytes }

    mutating func skipMagic(_ magic: String) -> Bool {
        let m = Array(magic.utf8)
        guard data.count >= m.count, Array(data[0..<m.count]) == m else { return false }
        offset = m.count
        return true
    }

    mutating func uint32() -> UInt32? {
        guard offset + 4 <= data.count else { return nil }
        let value = data[offset..<offset + 4].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        offset += 4
        return value
    }

    mutating func bytes() -> [UInt8]? {
        guard let length = uint32(), offset + Int(length) <= data.count else { return nil }
        defer { offset += Int(length) }
        return Array(data[offset..<offset + Int(length)])
    }

    mutating func string() -> String? {
        bytes().map { String(decoding: $0, as: UTF8.self) }
    }
}
