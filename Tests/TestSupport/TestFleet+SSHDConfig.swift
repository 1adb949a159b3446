import Foundation

/// Test hosts configured unlike the rest of the fleet.
extension TestFleet {
    /// Restarts one host's sshd with `lines` added to its configuration (`Ciphers 3des-cbc`, say).
    /// sshd keeps the first value of a keyword, so only keywords the fleet leaves unset take effect.
    public func reconfigureHost(_ name: String, adding lines: [String]) async throws {
        try await stopHost(name)
        let path = "\(directory)/hosts/\(name)/sshd_config"
        let config = try String(contentsOfFile: path, encoding: .utf8)
        try (config + lines.map { $0 + "\n" }.joined()).write(toFile: path, atomically: true, encoding: .utf8)
        try await startHost(name)
    }
}
