import Synchronization

/// Runs ssh_config `Match exec` commands for one run of Cutover, each distinct command (after
/// `%` tokens are expanded) at most once: its outcome is kept and reused by every later lookup,
/// every pass and every inventory load that shares this runner; compared by identity.
///
/// - Important: a command runs while the lock is held, so two loads asking for the same command
///   at once still run it once; the wait is bounded by the timeout given.
public final class MatchExecRunner: Sendable, Hashable {
    private let outcomes = Mutex<[String: MatchExecOutcome]>([:])
    private let execute: @Sendable (String, Duration) -> MatchExecOutcome

    /// The time a command gets when nobody says (Cutover's `--connect-timeout` default).
    public static let defaultTimeout = Duration.seconds(10)

    public convenience init() {
        self.init(execute: MatchExecProcess.run)
    }

    init(execute: @escaping @Sendable (String, Duration) -> MatchExecOutcome) {
        self.execute = execute
    }

    /// The outcome of `command`: the one obtained before, else the command's, run now.
    func outcome(of command: String, timeout: Duration) -> MatchExecOutcome {
        outcomes.withLock { known in
            if let outcome = known[command] { return outcome }
            let outcome = execute(command, timeout)
            known[command] = outcome
            return outcome
        }
    }

    public static func == (lhs: MatchExecRunner, rhs: MatchExecRunner) -> Bool { lhs === rhs }
    public func hash(into hasher: inout Hasher) { hasher.combine(ObjectIdentifier(self)) }
}
