import Foundation
import Testing
import TestSupport

/// The help of every verb is part of Cutover's interface: a change shows up here.
/// Set CUTOVER_UPDATE_SNAPSHOTS=1 to rewrite the snapshots after an intended change.
@Suite("Help output")
struct HelpSnapshotTests {
    static let snapshots = RepositoryPaths.root + "/Tests/CLITests/Snapshots"

    @Test(arguments: [
        ["--help"], ["deploy", "--help"], ["rollback", "--help"], ["status", "--help"], ["resume", "--help"],
        ["plan", "--help"], ["unlock", "--help"], ["promote", "--help"], ["abort", "--help"], ["help", "exit-codes"], ["check", "--help"], ["exec", "--help"], ["upload", "--help"],
        ["history", "--help"], ["metrics", "--help"], ["releases", "--help"], ["inventory", "--help"],
    ])
    func helpMatchesTheSnapshot(arguments: [String]) async throws {
        let result = try await CutoverProcess.run(arguments)
        #expect(result.status == 0)
        let name = (arguments.count == 1 ? "cutover" : arguments[0] == "help" ? arguments[1] : arguments[0]) + ".help.txt"
        let path = Self.snapshots + "/" + name
        if ProcessInfo.processInfo.environment["CUTOVER_UPDATE_SNAPSHOTS"] == "1" {
            try result.stdout.write(toFile: path, atomically: true, encoding: .utf8)
        }
        let expected = try String(contentsOfFile: path, encoding: .utf8)
        #expect(result.stdout == expected)
    }
}
