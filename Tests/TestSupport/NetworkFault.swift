import Foundation

/// nftables rules on loopback, in a table of their own that ``remove()`` deletes.
///
/// Only ever targets the test hosts' 127.x addresses. The table's name holds the test process's
/// pid, so a table left behind by a test process that died (a crash, a time limit) is deleted
/// by the next ``install(_:)`` whatever happened: no rule outlives its test run for long.
public final class NetworkFault: Sendable {
    public let table: String

    static let prefix = "cutover_test_"

    private init(table: String) {
        self.table = table
    }

    /// Adds `rules` (nft rule bodies, e.g. `ip daddr 127.1.2.3 tcp dport 2222 drop`) to the
    /// output hook of a new table.
    public static func install(_ rules: [String]) async throws -> NetworkFault {
        await removeStale()
        let table = "\(prefix)\(getpid())_\(UUID().uuidString.prefix(8).lowercased())"
        var script = "add table inet \(table)\n"
        script += "add chain inet \(table) output { type filter hook output priority 0 ; policy accept ; }\n"
        for rule in rules {
            precondition(Self.targetsLoopbackOnly(rule), "network faults only target loopback test hosts: \(rule)")
            script += "add rule inet \(table) output \(rule)\n"
        }
        let result = try await Shell.runDetached(["nft", "-f", "-"], input: script)
        guard result.status == 0 else { throw TestSupportError("nft failed: \(result.output)") }
        return NetworkFault(table: table)
    }

    public func remove() async {
        _ = try? await Shell.runDetached(["nft", "delete", "table", "inet", table])
    }

    /// Runs `body` with the rules installed and removes them whatever happens.
    public static func with<T>(_ rules: [String], _ body: () async throws -> T) async throws -> T {
        let fault = try await install(rules)
        do {
            let result = try await body()
            await fault.remove()
            return result
        } catch {
            await fault.remove()
            throw error
        }
    }

    /// Every address a rule names is a 127.0.0.0/8 address, and it names at least one.
    static func targetsLoopbackOnly(_ rule: String) -> Bool {
        let words = rule.split(separator: " ")
        var addresses: [Substring] = []
        for (index, word) in words.enumerated() where word == "daddr" || word == "saddr" {
            if index + 1 < words.count { addresses.append(words[index + 1]) }
        }
        return !addresses.isEmpty && addresses.allSatisfy { $0.hasPrefix("127.") }
    }

    /// Deletes the tables of test processes that are gone.
    public static func removeStale() async {
        guard let listing = try? await Shell.runDetached(["nft", "list", "tables"]) else { return }
        for line in listing.stdout.split(separator: "\n") {
            let parts = line.split(separator: " ")
            guard parts.count == 3, parts[1] == "inet", parts[2].hasPrefix(prefix) else { continue }
            let name = String(parts[2])
            let owner = name.dropFirst(prefix.count).split(separator: "_").first.flatMap { Int32($0) }
            // Only a table whose test process is gone is stale; one without a pid may belong to a
            // test running elsewhere on this machine and is left alone.
            guard let owner, owner != getpid(), kill(owner, 0) != 0 else { continue }
            _ = try? await Shell.runDetached(["nft", "delete", "table", "inet", name])
        }
    }
}
