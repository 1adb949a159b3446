/// How an ssh_config `Match exec` command ended.
///
/// Only ``exited(_:)`` decides anything, as in ssh: status 0 matches, any other status does not.
/// The other cases are Cutover's own (ssh waits forever and stops on a command killed by a
/// signal): the `Match` line does not apply, `!exec` or not, and the reason is a warning naming it.
enum MatchExecOutcome: Sendable, Equatable {
    case exited(Int32)
    case killed(signal: Int32)
    /// Still running when its time was up; it and its descendants were killed.
    case timedOut(Duration)
    /// The shell could not be started.
    case notStarted(String)

    /// Whether the criterion holds: the command exited with status 0.
    var matches: Bool { self == .exited(0) }

    /// Why the command decided nothing, for a warning; nil when it exited.
    var problem: String? {
        switch self {
        case .exited: return nil
        case .killed(let signal): return "was killed by signal \(signal)"
        case .timedOut(let timeout): return "did not finish within \(timeout) and was stopped (ssh would wait for it)"
        case .notStarted(let reason): return "could not be started: \(reason)"
        }
    }
}
