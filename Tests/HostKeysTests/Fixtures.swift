import Foundation
import HostKeys

/// A fresh temporary directory for one test, removed when the value is released.
final class TemporaryDirectory {
    /// The directory's absolute path.
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "hostkeys-tests-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    /// Writes `contents` to `name` inside the directory and returns the file's path.
    @discardableResult
    func write(_ name: String, _ contents: String) throws -> String {
        let file = path + "/" + name
        try contents.write(toFile: file, atomically: true, encoding: .utf8)
        return file
    }

    /// Reads `name` inside the directory.
    func read(_ name: String) throws -> String {
        try String(contentsOfFile: path + "/" + name, encoding: .utf8)
    }
}

/// Host keys used across the tests.
enum Keys {
    /// A real ed25519 key generated with ssh-keygen; its fingerprint is `realFingerprint`.
    static let realBase64 = "AAAAC3NzaC1lZDI1NTE5AAAAID+BAlJVfh4qm5OqD/rkJLcFl7PKF3THHYqMWrZrBSyA"
    /// `ssh-keygen -lf` output for `realBase64`.
    static let realFingerprint = "SHA256:CvEwqjwApIvEbV66OSIhYePkLg+kQDPFsfc2fxiiVLI"
    /// `ssh-keygen -H` output for `example.com` with `realBase64`.
    static let hashedPort22 = "|1|twwaqRWU1ScVPIhHaYTZiELjSIg=|9HKnYVXIVubuxIfX3WFaP7hmOPE="
    /// `ssh-keygen -H` output for `[example.com]:2222` with `realBase64`.
    static let hashedPort2222 = "|1|I777VVeyFcIqbrxZEjFdqh0aVWI=|d54OsDEp1YK2nxKx9FWel/FaaYk="

    static let real = HostKey(algorithm: "ssh-ed25519", blob: Array(Data(base64Encoded: realBase64)!))

    /// A syntactically valid ed25519 blob whose 32 key bytes are all `seed`.
    static func ed25519(_ seed: UInt8) -> HostKey {
        let type = Array("ssh-ed25519".utf8)
        let blob = [0, 0, 0, UInt8(type.count)] + type + [0, 0, 0, 32] + [UInt8](repeating: seed, count: 32)
        return HostKey(algorithm: "ssh-ed25519", blob: blob)
    }

    /// A fake RSA-shaped blob, to show a different key type.
    static func rsa(_ seed: UInt8) -> HostKey {
        let type = Array("ssh-rsa".utf8)
        let blob = [0, 0, 0, UInt8(type.count)] + type + [0, 0, 0, 3, 1, 0, 1, 0, 0, 0, 16] + [UInt8](repeating: seed, count: 16)
        return HostKey(algorithm: "ssh-rsa", blob: blob)
    }
}

extension HostKey {
    /// The key formatted as `type base64`, as in a known_hosts line.
    var line: String { "\(algorithm) \(Data(blob).base64EncodedString())" }
}

/// Runs ssh-keygen when it is installed; returns nil if it is not.
enum SSHKeygen {
    static let path: String? = ["/usr/bin/ssh-keygen", "/usr/local/bin/ssh-keygen", "/opt/homebrew/bin/ssh-keygen"]
        .first { FileManager.default.isExecutableFile(atPath: $0) }

    /// Runs ssh-keygen with `arguments` and returns its standard output.
    static func run(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path!)
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }
}
