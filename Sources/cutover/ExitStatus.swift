import ArgumentParser
import Console
import Rollout

/// The one place where results and errors become exit codes (see `cutover --help`).
enum ExitStatus {
    static let success: Int32 = 0
    static let partialFailure: Int32 = 2
    static let usage: Int32 = 64
    static let configuration: Int32 = 65

    /// Runs a verb and exits with the code its summary or error calls for.
    static func finish(_ body: () async throws(RolloutError) -> RunSummary) async throws {
        let summary: RunSummary
        do {
            summary = try await body()
        } catch {
            TerminalOutput().err(error.description)
            switch error {
            case .configuration: throw ExitCode(configuration)
            case .usage: throw ExitCode(usage)
            }
        }
        if !summary.allSucceeded { throw ExitCode(partialFailure) }
    }
}
