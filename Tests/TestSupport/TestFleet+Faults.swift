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

    /// Whether the host's sshd runs: the recorded pid is alive and still that sshd (its command
    /// line names the host's config; a pid the system gave to another process since is not).
    public func isUp(_ name: String) -> Bool {
        guard let text = try? String(contentsOfFile: "\(directory)/hosts/\(name)/pid", encoding: .utf8),
              let pid = pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines)), kill(pid, 0) == 0,
              let commandLine = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return false }
        // sshd rewrites its title (`sshd: /usr/sbin/sshd -D -e -f …/sshd_config [listener] …`).
        let title = String(decoding: commandLine.map { $0 == 0 ? UInt8(ascii: " ") : $0 }, as: UTF8.self)
        return title.contains("/\(URL(fileURLWithPath: directory).lastPathComponent)/hosts/\(name)/sshd_config")
    }
}
