import Foundation

/// A fleet of real OpenSSH test hosts started by `Scripts/test-fleet`, for one test.
///
/// Every host is an `sshd` on its own 127.x.y.z address with its own host key and its own
/// `/srv`. The fleet is stopped by pid in ``stop()``; ``with(hosts:_:)`` guarantees it.
public final class TestFleet: Sendable {
    public struct Member: Sendable, Hashable {
        public let name: String
        public let address: String
        public let port: Int
        /// The host's own `/srv`, seen from the test process.
        public let srv: String
    }

    public let directory: String
    public let members: [Member]
    public let user = "cutover"

    public var inventoryPath: String { directory + "/inventory.yml" }
    public var knownHostsPath: String { directory + "/known_hosts" }
    public var identityPath: String { directory + "/id_ed25519" }
    public var sshConfigPath: String { directory + "/ssh_config" }

    private init(directory: String, members: [Member]) {
        self.directory = directory
        self.members = members
    }

    /// Starts a fleet, runs `body`, and stops the fleet whatever happens.
    public static func with<T>(hosts: Int = 2, _ body: (TestFleet) async throws -> T) async throws -> T {
        let fleet = try await start(hosts: hosts)
        do {
            let result = try await body(fleet)
            await fleet.stop()
            return result
        } catch {
            await fleet.stop()
            throw error
        }
    }

    /// Starts `hosts` sshd processes. Retries on another random network when an address is taken.
    public static func start(hosts: Int) async throws -> TestFleet {
        IsolatedState.ensure
        var lastError = ""
        for _ in 0..<3 {
            let directory = try makeDirectory()
            let result = try await Shell.runDetached([RepositoryPaths.testFleetScript, "start", directory, "--hosts", String(hosts)])
            if result.status == 0 {
                return TestFleet(directory: directory, members: try readMembers(directory: directory, count: hosts))
            }
            lastError = result.output
            _ = try? await Shell.runDetached([RepositoryPaths.testFleetScript, "stop", directory])
        }
        throw TestSupportError("test-fleet start failed: \(lastError)")
    }

    public func member(_ name: String) -> Member {
        guard let member = members.first(where: { $0.name == name }) else { fatalError("no test host \(name)") }
        return member
    }

    /// Stops every host by pid and removes the fleet's directory.
    public func stop() async {
        _ = try? await Shell.runDetached([RepositoryPaths.testFleetScript, "stop", directory])
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Stops one host's sshd (the host "goes down").
    public func stopHost(_ name: String) async throws {
        let result = try await Shell.runDetached([RepositoryPaths.testFleetScript, "stop-host", directory, name])
        guard result.status == 0 else { throw TestSupportError(result.output) }
    }

    public func startHost(_ name: String) async throws {
        let result = try await Shell.runDetached([RepositoryPaths.testFleetScript, "start-host", directory, name])
        guard result.status == 0 else { throw TestSupportError(result.output) }
    }

    private static func makeDirectory() throws -> String {
        let base = FileManager.default.temporaryDirectory.path + "/cutover-tests"
        try FileManager.default.createDirectory(atPath: base, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o755])
        let path = base + "/fleet-\(getpid())-\(UUID().uuidString.prefix(8))"
        // sshd reads authorized_keys as the test user, so the directory must be traversable.
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false,
                                                attributes: [.posixPermissions: 0o755])
        return path
    }

    private static func readMembers(directory: String, count: Int) throws -> [Member] {
        try (1...count).map { index in
            let name = "h\(index)"
            let host = "\(directory)/hosts/\(name)"
            let address = try String(contentsOfFile: host + "/address", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
            let port = try String(contentsOfFile: host + "/port", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
            return Member(name: name, address: address, port: Int(port) ?? 22, srv: host + "/srv")
        }
    }
}

public struct TestSupportError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
