import ArgumentParser
import Console
import Rollout

/// The one place where results and errors become exit codes (see `cutover --help`).
enum ExitStatus {
    static let success: Int32 = 0
    static let partialFailure: Int32 = 2
    static let rolledBack: Int32 = 3
    static let notConverged: Int32 = 4
    static let lockHeld: Int32 = 5
    static let refusedByPromotion: Int32 = 6
    static let notSwitched: Int32 = 7
    static let usage: Int32 = 64
    static let configuration: Int32 = 65
    static let interrupted: Int32 = 130

    /// Runs a verb and exits with the code its summary or error calls for.
    static func finish(_ body: @escaping @Sendable () async throws(RolloutError) -> RunSummary) async throws {
        let interruption = Interruption()
        let summary: RunSummary
        do {
            summary = try await interruption.run { () async throws -> RunSummary in try await body() }
        } catch let error as RolloutError {
            TerminalOutput().err(error.description)
            switch error {
            case .configuration: throw ExitCode(configuration)
            case .usage: throw ExitCode(usage)
            case .interrupted: throw ExitCode(interrupted)
            }
        }
        if interruption.happened { throw ExitCode(interrupted) }
        if !summary.allSucceeded { throw ExitCode(partialFailure) }
    }

    /// Runs a deploy-like verb and exits with the code its outcome calls for.
    static func finishDeploy(_ body: @escaping @Sendable (StopRequest) async throws(RolloutError) -> DeployReport) async throws {
        let interruption = Interruption()
        let report: DeployReport
        do {
            report = try await interruption.runGracefully { stop async throws -> DeployReport in try await body(stop) }
        } catch let error as RolloutError {
            TerminalOutput.restoreTerminal()
            TerminalOutput().err(error.description)
            throw ExitCode(error.exitCode)
        }
        TerminalOutput.restoreTerminal()  // the live view ends with the summary; this is for every other way out
        if interruption.happened && !(interruption.aborted && report.outcome != .interrupted) { throw ExitCode(interrupted) }
        try exit(for: report.outcome)
    }

    /// Runs a verb that reports like a deploy but has no waves to stop between and nothing to
    /// roll back (`status`, `unlock`, `promote`, `abort`): the first Ctrl-C or SIGTERM cancels
    /// it, as for `exec` (a deploy's graceful stop and SIGTERM's abort mean nothing here), the
    /// second exits at once.
    static func finishOperation(_ body: @escaping @Sendable () async throws(RolloutError) -> DeployReport) async throws {
        let interruption = Interruption()
        let report: DeployReport
        do {
            report = try await interruption.run { () async throws -> DeployReport in try await body() }
        } catch let error as RolloutError {
            TerminalOutput.restoreTerminal()
            TerminalOutput().err(error.description)
            throw ExitCode(error.exitCode)
        }
        TerminalOutput.restoreTerminal()
        if interruption.happened { throw ExitCode(interrupted) }
        try exit(for: report.outcome)
    }

    /// The exit code of a deploy-like verb's outcome (0: returns).
    private static func exit(for outcome: DeployOutcome) throws {
        switch outcome {
        case .promoted: return
        case .partial: throw ExitCode(partialFailure)
        case .rolledBack: throw ExitCode(rolledBack)
        case .notConverged: throw ExitCode(notConverged)
        case .lockHeld: throw ExitCode(lockHeld)
        case .interrupted: throw ExitCode(interrupted)
        case .notSwitched: throw ExitCode(notSwitched)
        case .refused: throw ExitCode(refusedByPromotion)
        }
    }
}

extension RolloutError {
    var exitCode: Int32 {
        switch self {
        case .configuration: return ExitStatus.configuration
        case .usage: return ExitStatus.usage
        case .interrupted: return ExitStatus.interrupted
        }
    }
}
