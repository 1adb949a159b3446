import Foundation
import Testing
import TestSupport

@Suite("Ctrl-C during exec", .timeLimit(.minutes(2)))
struct InterruptTests {
    @Test func sigintStopsRemoteCommandsAndExits130() async throws {
        try await TestFleet.with(hosts: 2) { fleet in
            let process = Process()
            process.executableURL = URL(fileURLWithPath: RepositoryPaths.cutoverExecutable)
            process.arguments = ["exec", "-i", fleet.inventoryPath, "--ssh-config", "none", "--",
                                 "echo $$ > /srv/pid; exec sleep 300"]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            // Wait until both hosts run the command.
            for _ in 0..<100 {
                if fleet.members.allSatisfy({ FileManager.default.fileExists(atPath: $0.srv + "/pid") }) { break }
                try await Task.sleep(for: .milliseconds(50))
            }
            let started = ContinuousClock.now
            kill(process.processIdentifier, SIGINT)
            while process.isRunning && ContinuousClock.now - started < .seconds(15) {
                try await Task.sleep(for: .milliseconds(50))
            }
            #expect(!process.isRunning)
            if process.isRunning { process.terminate() }
            process.waitUntilExit()
            #expect(process.terminationStatus == 130)
            for member in fleet.members {
                let pid = try String(contentsOfFile: member.srv + "/pid", encoding: .utf8)
                    .trimmingCharacters(in: .whitespacesAndNewlines)
                // The remote shell (and its sleep) is gone: the pid no longer exists, or is a
                // zombie its parent has not reaped yet (a loaded machine takes a moment).
                var running = true
                for _ in 0..<100 where running {
                    running = Self.isRunning(pid_t(pid) ?? 0)
                    if running { try await Task.sleep(for: .milliseconds(50)) }
                }
                #expect(!running, "remote command on \(member.name) still running")
            }
        }
    }

    /// True while `pid` exists and is not a zombie (`/proc/PID/stat` state `Z`).
    static func isRunning(_ pid: pid_t) -> Bool {
        guard pid > 0, kill(pid, 0) == 0 else { return false }
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return true }
        return stat[stat.index(after: close)...].trimmingCharacters(in: .whitespaces).first != "Z"
    }
}
