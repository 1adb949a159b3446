import Foundation
import Glibc

/// Runs a command on the orchestrator (`/bin/sh -c`) on a thread of its own, with a deadline
/// after which its process group is killed, and only the environment it is given (never the
/// runner's whole environment: ``LocalEnvironment``). For `run_on: local` smoke tests.
enum LocalCommand {
    struct Result: Sendable {
        var status: Int32
        var output: String
        var timedOut: Bool
    }

    static func run(_ command: String, environment: LocalEnvironment, timeout: Duration) async -> Result {
        await withCheckedContinuation { continuation in
            let thread = Thread {
                continuation.resume(returning: runBlocking(command, environment: environment, timeout: timeout))
            }
            thread.start()
        }
    }

    private static func runBlocking(_ command: String, environment: LocalEnvironment, timeout: Duration) -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        process.environment = environment.variables
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        process.standardInput = FileHandle(forReadingAtPath: "/dev/null")
        do { try process.run() } catch {
            return Result(status: 127, output: "cannot start /bin/sh: \(error)", timedOut: false)
        }
        let output = OutputCollector()
        let reader = Thread { output.set(pipe.fileHandleForReading.readDataToEndOfFile()) }
        reader.start()
        let deadline = ContinuousClock.now + timeout
        var timedOut = false
        while process.isRunning {
            if ContinuousClock.now >= deadline {
                timedOut = true
                kill(process.processIdentifier, SIGKILL)
                break
            }
            usleep(20_000)
        }
        process.waitUntilExit()
        output.wait()
        return Result(status: process.terminationStatus, output: output.text, timedOut: timedOut)
    }
}

/// What a child process printed, handed from the reading thread.
private final class OutputCollector: @unchecked Sendable {
    private let condition = NSCondition()
    private var data: Data?

    func set(_ value: Data) {
        condition.lock()
        data = value
        condition.signal()
        condition.unlock()
    }

    func wait() {
        condition.lock()
        let deadline = Date().addingTimeInterval(5)
        while data == nil && condition.wait(until: deadline) {}
        condition.unlock()
    }

    var text: String {
        condition.lock()
        defer { condition.unlock() }
        return String(decoding: data ?? Data(), as: UTF8.self)
    }
}
