import Foundation

/// Faults a test inflicts on its own hosts (see `Scripts/test-fleet`).
extension TestFleet {
    /// Kills every process of one host at once, its sshd and whatever its sessions run: a crash.
    /// ``startHost(_:)`` boots it again (same key, same `/srv`).
    public func crashHost(_ name: String) async throws {
        let result = try await Shell.runDetached([RepositoryPaths.testFleetScript, "crash-host", directory, name])
        guard result.status == 0 else { throw TestSupportError(result.output) }
    }

    /// Kills every session and command left running on the hosts; their sshds keep listening.
    public func reap() async throws {
        let result = try await Shell.runDetached([RepositoryPaths.testFleetScript, "reap", directory])
        guard result.status == 0 else { throw TestSupportError(result.output) }
    }

    /// Runs a command in one host's mount namespace (a mount there is seen by that host alone).
    @discardableResult
    public func inNamespace(of name: String, _ command: [String]) async throws -> Shell.Result {
        try await Shell.runDetached([RepositoryPaths.testFleetScript, "nsexec", directory, name] + command)
    }

    /// Whether the host's sshd runs.
    public func isUp(_ name: String) -> Bool {
        guard let text = try? String(contentsOfFile: "\(directory)/hosts/\(name)/pid", encoding: .utf8),
              let pid = pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines)) else { return false }
        return kill(pid, 0) == 0
    }
}
