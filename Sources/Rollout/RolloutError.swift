public import Diagnostics

/// Why a run could not start or finish as a run: the verbs' typed errors.
public enum RolloutError: Error, Sendable, CustomStringConvertible {
    /// The inventory, playbook or selection is wrong; the diagnostics say where.
    case configuration(DiagnosticError)
    /// The request itself is malformed.
    case usage(String)
    /// Interrupted (Ctrl-C, SIGTERM) while reading the configuration, before any host was touched.
    case interrupted(String)

    public var description: String {
        switch self {
        case .configuration(let error): return error.description
        case .usage(let message), .interrupted(let message): return message
        }
    }
}
