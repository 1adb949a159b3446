import Foundation
import TestSupport

/// One run of the built `cutover`, with JSON events on stdout; output goes to files so the
/// test can signal the process while it runs and read everything after.
final class CutoverRun: @unchecked Sendable {
    let process = Process()
    let arguments: [String]
    private let stdoutPath: String
    private let stderrPath: String

    init(_ arguments: [String], directory: String) throws {
        self.arguments = arguments
        let id = UUID().uuidString.prefix(8)
        stdoutPath = "\(directory)/run-\(id).out"
        stderrPath = "\(directory)/run-\(id).err"
        _ = FileManager.default.createFile(atPath: stdoutPath, contents: nil)
        _ = FileManager.default.createFile(atPath: stderrPath, contents: nil)
        process.executableURL = URL(fileURLWithPath: RepositoryPaths.cutoverExecutable)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(["NO_COLOR": "1", "COLUMNS": "120",
            // Each lab's own ledger: the matrix runs two fleets with the same host names side by side.
            "XDG_STATE_HOME": directory + "/state"]) { $1 }
        process.standardOutput = FileHandle(forWritingAtPath: stdoutPath)
        process.standardError = FileHandle(forWritingAtPath: stderrPath)
        process.standardInput = FileHandle.nullDevice
        try process.run()
    }

    var pid: pid_t { process.processIdentifier }

    func signal(_ number: Int32) {
        if process.isRunning { kill(pid, number) }
    }

    /// Waits for the process to end (bounded: it is killed after `limit`) and reads what it said.
    func finish(within limit: Duration = .seconds(120)) async -> Result {
        let start = ContinuousClock.now
        while process.isRunning && ContinuousClock.now - start < limit {
            try? await Task.sleep(for: .milliseconds(25))
        }
        let timedOut = process.isRunning
        if timedOut { kill(pid, SIGKILL) }
        process.waitUntilExit()
        let stdout = (try? String(contentsOfFile: stdoutPath, encoding: .utf8)) ?? ""
        let stderr = (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? ""
        let killedBy = process.terminationReason == .uncaughtSignal ? process.terminationStatus : nil
        return Result(exit: killedBy == nil ? process.terminationStatus : nil, signal: killedBy, timedOut: timedOut,
                      stdout: stdout, stderr: stderr, duration: .now - start)
    }

    struct Result {
        /// The exit code; nil when a signal ended the process.
        let exit: Int32?
        let signal: Int32?
        /// The process did not end within its limit and was killed.
        let timedOut: Bool
        let stdout: String
        let stderr: String
        let duration: Duration

        var events: [[String: Any]] {
            stdout.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        }

        var finished: [String: Any]? { events.last { $0["event"] as? String == "finished" } }

        var outcome: String? { finished?["outcome"] as? String }

        /// Final state per host, from the `finished` event.
        var hostStates: [String: String] {
            var states: [String: String] = [:]
            for host in (finished?["hosts"] as? [[String: Any]]) ?? [] {
                if let name = host["host"] as? String, let state = host["state"] as? String { states[name] = state }
            }
            return states
        }

        /// Why each host ended where it did, from the `finished` event.
        var hostDetails: [String: String] {
            var details: [String: String] = [:]
            for host in (finished?["hosts"] as? [[String: Any]]) ?? [] {
                if let name = host["host"] as? String, let detail = host["detail"] as? String { details[name] = detail }
            }
            return details
        }

        var deployID: String? { events.first { $0["event"] as? String == "started" }?["deploy"] as? String }

        /// `exit 3`, `SIGKILL`, `killed after its limit`.
        var exitText: String {
            if timedOut { return "hung (killed)" }
            if let exit { return "\(exit)" }
            return signal == 9 ? "SIGKILL" : "signal \(signal ?? 0)"
        }
    }
}
