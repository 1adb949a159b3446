import Foundation

/// What host-key tests need of a fleet: its hosts' own keys, and files of their own beside it.
extension TestFleet {
    /// Writes `text` to `name` in the fleet's directory and returns the path.
    public func writeFile(_ text: String, named name: String) throws -> String {
        let path = directory + "/" + name
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// "ssh-ed25519 AAAA…" of a test host.
    public func hostPublicKey(_ name: String) throws -> String {
        let text = try String(contentsOfFile: "\(directory)/hosts/\(name)/ssh_host_ed25519_key.pub", encoding: .utf8)
        return text.split(separator: " ").prefix(2).joined(separator: " ")
    }

    /// The SHA256 fingerprint of a test host's key, as ssh-keygen prints it.
    public func hostFingerprint(_ name: String) async throws -> String {
        let out = try await Shell.runDetached(["ssh-keygen", "-lf", "\(directory)/hosts/\(name)/ssh_host_ed25519_key.pub"])
        return String(out.stdout.split(separator: " ")[1])
    }
}
