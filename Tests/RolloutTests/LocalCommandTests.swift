import Foundation
@testable import Rollout
import Testing

/// `run_on: local` smoke commands, run as real `/bin/sh` processes on this machine.
@Suite("Local smoke commands", .timeLimit(.minutes(2)))
struct LocalCommandTests {
    let environment = LocalEnvironment(runner: ["PATH": "/usr/bin:/bin"], passing: [], cutover: ["CUTOVER_HOST": "h1"])

    /// Whether a process is still running 5 s from now (SIGKILL takes effect when the process
    /// is next scheduled): a zombie is not (an orphan's waits for init to reap it).
    func running(_ pid: String) -> Bool {
        for _ in 0..<250 {
            if !runningNow(pid) { return false }
            usleep(20_000)
        }
        return true
    }

    func runningNow(_ pid: String) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let state = stat.split(separator: ")").last?.split(separator: " ").first else { return false }
        return state != "Z"
    }

    @Test func stdoutAndStderrComeInTheOrderWrittenWithTheExitStatus() async {
        let result = await LocalCommand.run("echo one; echo two >&2; echo three; exit 3", environment: environment, timeout: .seconds(30))
        #expect(result == LocalCommand.Result(status: 3, output: "one\ntwo\nthree\n", timedOut: false))
    }

    @Test func onlyTheGivenEnvironmentAndNoInput() async {
        let result = await LocalCommand.run("env | grep -v -e '^PWD=' -e '^SHLVL=' -e '^_=' | sort; cat; echo end", environment: environment, timeout: .seconds(30))
        #expect(result.output == "CUTOVER_HOST=h1\nPATH=/usr/bin:/bin\nend\n", "\(result.output)")
        #expect(result.status == 0)
    }

    @Test func aSignalIsReportedAsAShellWould() async {
        let result = await LocalCommand.run("kill -TERM $$", environment: environment, timeout: .seconds(30))
        #expect(result.status == 128 + SIGTERM && !result.timedOut)
    }

    /// The deadline stops the whole command, not only its shell: `sleep 300; true` (the shell
    /// waits in a child) and a background process it started both end, and the run returns.
    @Test func theDeadlineStopsEveryProcessOfTheCommand() async throws {
        let marker = FileManager.default.temporaryDirectory.appendingPathComponent("co-local-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: marker) }
        let started = ContinuousClock.now
        let result = await LocalCommand.run("sleep 300 & echo $! > \(marker); echo waiting; sleep 300; true", environment: environment, timeout: .seconds(1))
        #expect(ContinuousClock.now - started < .seconds(60))  // far below the 300 s sleeps
        #expect(result.timedOut)
        #expect(result.output == "waiting\n")
        #expect(result.status == 128 + SIGKILL)
        let background = try String(contentsOfFile: marker, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(!background.isEmpty && !running(background), "the background sleep \(background) survived the deadline")
    }

    /// A command that closes its output (`exec >log 2>&1`, as a script logging to a file does)
    /// still ends at the deadline, its processes with it.
    @Test func theDeadlineHoldsAfterTheCommandClosedItsOutput() async throws {
        let marker = FileManager.default.temporaryDirectory.appendingPathComponent("co-local-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: marker) }
        let started = ContinuousClock.now
        let result = await LocalCommand.run("echo before; exec >/dev/null 2>&1; sleep 300 & echo $! > \(marker); sleep 300; true",
                                            environment: environment, timeout: .seconds(1))
        #expect(ContinuousClock.now - started < .seconds(60))
        #expect(result.timedOut && result.output == "before\n", "\(result)")
        let background = try String(contentsOfFile: marker, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(!background.isEmpty && !running(background), "the background sleep \(background) survived the deadline")
    }

    /// What a passing command leaves running in its group (a server started with its output
    /// redirected) does not outlive it.
    @Test func whatAPassingCommandLeftRunningIsStopped() async throws {
        let marker = FileManager.default.temporaryDirectory.appendingPathComponent("co-local-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: marker) }
        let result = await LocalCommand.run("sleep 300 >/dev/null 2>&1 & echo $! > \(marker); echo ok", environment: environment, timeout: .seconds(30))
        #expect(result == LocalCommand.Result(status: 0, output: "ok\n", timedOut: false))
        let background = try String(contentsOfFile: marker, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(!background.isEmpty && !running(background), "the background sleep \(background) outlived its command")
    }

    /// A cancelled deploy (Ctrl-C) stops the command at once.
    @Test func cancellationStopsTheCommand() async {
        await cancelling("sleep 300; true")
        // Also once the command closed its output.
        await cancelling("exec >/dev/null 2>&1; sleep 300; true")
    }

    func cancelling(_ command: String) async {
        let task = Task { await LocalCommand.run(command, environment: environment, timeout: .seconds(600)) }
        try? await Task.sleep(for: .milliseconds(300))
        let started = ContinuousClock.now
        task.cancel()
        let result = await task.value
        #expect(ContinuousClock.now - started < .seconds(60))
        #expect(!result.timedOut && result.status != 0)
    }

    /// Output beyond the limit is read and dropped (the command does not block on a full pipe)
    /// and said to be so.
    @Test func aFloodOfOutputIsCappedAndTheCommandFinishes() async {
        let result = await LocalCommand.run("head -c 3000000 /dev/zero | tr '\\0' x; echo; echo done >&2", environment: environment, timeout: .seconds(60))
        #expect(result.status == 0 && !result.timedOut)
        #expect(result.output.utf8.count < LocalCommand.captureLimit + 100)
        #expect(result.output.hasPrefix("xxxx") && result.output.hasSuffix("more bytes of output not kept]"), "\(result.output.suffix(80))")
    }
}
