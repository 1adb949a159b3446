import Foundation
import Testing
import TestSupport

@Suite("--ledger values the CLI refuses", .timeLimit(.minutes(3)))
struct LedgerOptionTests {
    /// A libpq keyword/value string (in `--ledger` or `$CUTOVER_LEDGER`) is a usage error that
    /// never repeats the password, and no SQLite file named after it appears.
    @Test func aConnectionStringIsAUsageErrorThatHidesThePassword() async throws {
        let value = "host=db.internal user=ci password=hunter2 dbname=cutover"
        for arguments in [["history", "web", "--ledger", value], ["metrics", "web", "--ledger", value], ["history", "web"]] {
            let result = try await CutoverProcess.run(arguments, environment: ["CUTOVER_LEDGER": value])
            #expect(result.status == 64, "\(arguments): \(result.output)")
            #expect(!result.output.contains("hunter2"), "\(arguments): \(result.output)")
            #expect(result.stderr.contains("postgres://"), "\(arguments): \(result.stderr)")
        }
        let cwd = FileManager.default.currentDirectoryPath
        #expect(!FileManager.default.fileExists(atPath: cwd + "/" + value))
    }
}
