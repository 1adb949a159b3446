import Console
import Dispatch
import Glibc
import Rollout
import Synchronization

/// Ctrl-C (SIGINT) and SIGTERM for a running verb: the first cancels the work, which stops
/// remote commands and lets the run report; a second one exits at once with 130. A deploy
/// takes them in steps (``runGracefully(_:)``), and SIGTERM (what a CI runner sends on cancel)
/// aborts it like `cutover abort`.
final class Interruption: Sendable {
    private let count = Atomic<Int>(0)

    private let aborting = Atomic<Bool>(false)

    var happened: Bool { count.load(ordering: .relaxed) > 0 }
    /// The first signal was SIGTERM and aborted a deploy: its outcome (rolled back, nothing
    /// switched) is the exit code, not 130.
    var aborted: Bool { aborting.load(ordering: .relaxed) }

    /// Runs a deploy: the first Ctrl-C asks it to stop gracefully between waves, the second
    /// cancels it (remote commands are stopped), the third exits at once. The first SIGTERM
    /// aborts it: it stops at its next step and rolls back what it switched, as `cutover abort`
    /// does; a further signal of either kind goes on from there.
    func runGracefully<T: Sendable>(_ body: @escaping @Sendable (StopRequest) async throws -> T) async throws -> T {
        let stop = StopRequest()
        let task = Task { try await body(stop) }
        let sources = install { [self] number in
            let count = count.wrappingAdd(1, ordering: .relaxed).newValue
            switch count {
            case 1 where number == SIGTERM:
                TerminalErrorLine.write("terminated: aborting the deploy, rolling back what it switched (send again to cancel the rollback)")
                aborting.store(true, ordering: .relaxed)
                stop.abort(by: "SIGTERM")
            case 1:
                TerminalErrorLine.write("interrupted: finishing the running wave, then stopping (Ctrl-C again to cancel it)")
                stop.request()
            case 2:
                TerminalErrorLine.write("interrupted again: cancelling the running steps (Ctrl-C again to quit at once)")
                task.cancel()
            default:
                TerminalOutput.restoreTerminal()
                _exit(130)
            }
        }
        defer { for source in sources { source.cancel() } }
        return try await task.value
    }

    /// Runs `body` in a task that the first signal cancels.
    func run<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) async throws -> T {
        let task = Task { try await body() }
        let sources = install { [self] _ in
            if count.wrappingAdd(1, ordering: .relaxed).newValue > 1 {
                TerminalOutput.restoreTerminal()
                _exit(130)
            }
            TerminalErrorLine.write("interrupted: stopping remote commands (Ctrl-C again to quit at once)")
            task.cancel()
        }
        defer { for source in sources { source.cancel() } }
        return try await task.value
    }

    /// Handles SIGINT and SIGTERM with `handler`, which is told which one arrived.
    private func install(_ handler: @escaping @Sendable (Int32) -> Void) -> [any DispatchSourceSignal] {
        // Writing to a closed pipe (`cutover exec … | head`) must not kill us.
        signal(SIGPIPE, SIG_IGN)
        return [SIGINT, SIGTERM].map { number -> any DispatchSourceSignal in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { handler(number) }
            source.resume()
            return source
        }
    }
}

/// One line to stderr from a signal handler: above the live view when one is drawn.
enum TerminalErrorLine {
    static func write(_ text: String) {
        TerminalOutput().err(text)
    }
}
