import Glibc
import Subprocess
import SystemPackage

/// Runs a command on the orchestrator (`/bin/sh -c`, through swift-subprocess) in a process
/// group of its own, with only the environment it is given (never the runner's whole
/// environment: ``LocalEnvironment``), stdin from `/dev/null`, and stdout and stderr in one pipe
/// (in the order the command wrote them). At the deadline, or when the deploy is cancelled, the
/// whole group is killed: `sleep 300; curl …` stops with its shell. For `run_on: local` smoke tests.
enum LocalCommand {
    struct Result: Sendable, Equatable {
        /// The shell's exit status; 128 + N when a signal N ended it (as a shell reports it).
        var status: Int32
        var output: String
        var timedOut: Bool
    }

    /// What is kept of the output (the rest is read and dropped, so the command never blocks).
    static let captureLimit = 256 * 1024

    static func run(_ command: String, environment: LocalEnvironment, timeout: Duration) async -> Result {
        var ends: [Int32] = [-1, -1]
        // Close-on-exec from the start: neither end leaks into a process the runner starts
        // meanwhile (a ProxyCommand holding the write end would keep the output open).
        guard pipe2(&ends, O_CLOEXEC) == 0 else {
            return Result(status: 127, output: "cannot make a pipe: \(String(cString: strerror(errno)))", timedOut: false)
        }
        let reader = LocalOutputReader(descriptor: ends[0], deadline: .now + timeout, captureLimit: captureLimit)
        defer { reader.close() }
        let writeEnd = FileDescriptor(rawValue: ends[1])
        var options = PlatformOptions()
        options.processGroupID = 0  // a group of its own, led by the shell: what the deadline kills
        let variables = Dictionary(uniqueKeysWithValues: environment.variables.map { (Environment.Key(stringLiteral: $0.key), $0.value) })
        do {
            let outcome = try await Subprocess.run(
                .path("/bin/sh"), arguments: ["-c", command], environment: .custom(variables), platformOptions: options,
                input: .none,
                output: .fileDescriptor(writeEnd, closeAfterSpawningProcess: true),
                error: .fileDescriptor(writeEnd, closeAfterSpawningProcess: false)
            ) { execution in
                let group = execution.processIdentifier.value
                return await withTaskCancellationHandler {
                    await reader.read(group: group)
                } onCancel: {
                    reader.stop()
                }
            }
            let (output, timedOut) = outcome.closureResult
            return Result(status: status(outcome.terminationStatus), output: output, timedOut: timedOut)
        } catch {
            return Result(status: 127, output: "cannot start /bin/sh: \(error)", timedOut: false)
        }
    }

    static func status(_ termination: TerminationStatus) -> Int32 {
        switch termination {
        case .exited(let code): return code
        case .signaled(let signal): return 128 + signal
        }
    }
}

/// glibc's `pipe2`, which Swift's Glibc module leaves out (it is a GNU extension).
@_silgen_name("pipe2")
private func pipe2(_ fds: UnsafeMutablePointer<Int32>, _ flags: Int32) -> Int32
