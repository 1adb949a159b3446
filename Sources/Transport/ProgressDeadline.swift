/// The two limits on a remote operation: its deadline, and the longest it may go without
/// progress (no output from a command, no byte of an upload accepted). The waits of the
/// operation end at whichever comes first; a timeout caused by the second becomes `stalled`.
///
/// A host that is reachable but silent is what the second limit is for: TCP and SSH
/// keepalives notice a dead peer, not a live one that sends nothing.
struct ProgressDeadline {
    let deadline: ContinuousClock.Instant?
    let noProgressLimit: Duration?
    private(set) var lastProgress = ContinuousClock.now

    init(deadline: ContinuousClock.Instant?, noProgressLimit: Duration?) {
        self.deadline = deadline
        self.noProgressLimit = noProgressLimit
    }

    /// Something moved: the no-progress limit counts from now.
    mutating func progressed() {
        lastProgress = .now
    }

    /// When the current wait must end: the deadline or the end of the no-progress limit.
    var waitUntil: ContinuousClock.Instant? {
        guard let limit = noProgressLimit else { return deadline }
        let stall = lastProgress + limit
        return deadline.map { min($0, stall) } ?? stall
    }

    /// True when the no-progress limit, not the deadline, has run out.
    var isStalled: Bool {
        guard let limit = noProgressLimit else { return false }
        let now = ContinuousClock.now
        return now >= lastProgress + limit && deadline.map { now < $0 } ?? true
    }

    /// `error`, or, when it is a timeout the no-progress limit caused, a `stalled` error:
    /// `h1: no output for 2 s; the command was stopped`.
    func classify(_ error: SSHError, label: String, silence: String, consequence: String) -> SSHError {
        guard error.code == .timeout, isStalled, let limit = noProgressLimit else { return error }
        return SSHError(.stalled, about: label, "\(silence) for \(limit.spokenLength); \(consequence)", cause: error)
    }
}

extension Duration {
    /// `2 s`, `1.5 s`, `10 min`, `90 s`.
    var spokenLength: String {
        let (seconds, attoseconds) = components
        if attoseconds == 0 {
            return seconds >= 60 && seconds % 60 == 0 ? "\(seconds / 60) min" : "\(seconds) s"
        }
        return "\(((Double(seconds) + Double(attoseconds) / 1e18) * 10).rounded() / 10) s"
    }
}
