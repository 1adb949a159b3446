import Foundation
import Release
@testable import Rollout
import Testing
import TestSupport

/// `--parallel` given on the command line wins over the playbook's `parallel`, whatever the
/// number (50, the default, included); without it, the playbook's applies.
@Suite("parallel choice")
struct ParallelChoiceTests {
    @Test(arguments: [(chosen: Int?.none, expected: 3), (chosen: 50, expected: 50), (chosen: 7, expected: 7)])
    func theCommandLineWinsOverThePlaybook(chosen: Int?, expected: Int) async throws {
        let directory = NSTemporaryDirectory() + "cutover-parallel-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory + "/app", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try "1\n".write(toFile: directory + "/app/VERSION", atomically: true, encoding: .utf8)
        let tar = try await Shell.runDetached(["tar", "-czf", directory + "/web-1.0.0.tar.gz", "-C", directory + "/app", "."])
        #expect(tar.status == 0)
        try "hosts:\n  h1: { address: 127.0.0.1 }\n".write(toFile: directory + "/inventory.yml", atomically: true, encoding: .utf8)
        try "app: web\ndeploy_root: /srv/web\nparallel: 3\nartifact: web-1.0.0.tar.gz\n"
            .write(toFile: directory + "/web.yml", atomically: true, encoding: .utf8)
        let settings = ConnectionSettings(inventoryPath: directory + "/inventory.yml", sshConfigPath: "none", parallel: chosen)
        let prepared = try await DeployPreparation(playbook: directory + "/web.yml", artifact: nil, version: nil, connection: settings,
                                             deployID: "d-1")
        #expect(prepared.settings.parallel == expected)
        let operation = try await FleetOperation(playbook: directory + "/web.yml", connection: settings, id: .run("r-1"), events: { _ in })
        #expect(operation.policy.parallel == (chosen ?? 50))
    }
}
