import Foundation

/// nftables rules on loopback, in a table of their own that ``remove()`` deletes.
///
/// Only ever targets the test hosts' 127.x addresses.
public final class NetworkFault: Sendable {
    public let table: String

    private init(table: String) {
        self.table = table
    }

    /// Adds `rules` (nft rule bodies, e.g. `ip daddr 127.1.2.3 tcp dport 2222 drop`) to the
    /// output hook of a new table.
    public static func install(_ rules: [String]) async throws -> NetworkFault {
        let table = "cutover_test_\(UUID().uuidString.prefix(8).lowercased())"
        var script = "add table inet \(table)\n"
        script += "add chain inet \(table) output { type filter hook output priority 0 ; policy accept ; }\n"
        for rule in rules {
            precondition(rule.contains("127."), "network faults only target loopback test hosts")
            script += "add rule inet \(table) output \(rule)\n"
        }
        let result = try await Shell.runDetached(["nft", "-f", "-"], input: script)
        guard result.status == 0 else { throw TestSupportError("nft failed: \(result.output)") }
        return NetworkFault(table: table)
    }

    public func remove() async {
        _ = try? await Shell.runDetached(["nft", "delete", "table", "inet", table])
    }
}
