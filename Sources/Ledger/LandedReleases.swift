/// One app's releases in the order the fleet landed on them, from its ledger records: a
/// promoted deploy lands on top, and so does a partial one that promoted some host (one that
/// switched nothing, or whose every switched host went back, never does); a converged
/// `cutover rollback` takes off the releases it undid, down to the one it went to. What a
/// rollback took off were failed changes.
struct LandedReleases {
    /// Bottom to top: the records (deploys, resumes, and rollbacks that went below the stack) the fleet ran.
    private(set) var stack: [LedgerRecord] = []
    /// Deploy records a rollback took off.
    private(set) var undone: [LedgerRecord] = []

    /// `records` of one app, in any order.
    init(_ records: [LedgerRecord]) {
        let ordered = records.sorted { ($0.finishedAt, $0.id ?? 0) < ($1.finishedAt, $1.id ?? 0) }
        for record in ordered where record.outcome == .promoted || (record.outcome == .partial && record.promotedSomeHost) {
            switch record.kind {
            case .deploy, .resume:
                stack.append(record)
            case .rollback:
                land(rollback: record)
            case .promote, .abort:
                break
            }
        }
    }

    /// The release on top: what the ledger believes the fleet runs.

    var current: String? { stack.last?.release }

    private mutating func land(rollback: LedgerRecord) {
        // A rollback that moved none of its hosts (nothing earlier to go to) undid nothing.
        guard rollback.hosts.isEmpty || rollback.hosts.contains(where: { $0.state == "rolled_back" }) else { return }
        if let target = rollback.release, stack.last?.release == target { return }  // already there
        guard let top = stack.popLast() else {
            if rollback.release != nil { stack.append(rollback) }
            return
        }
        undone.append(top)
        guard let target = rollback.release else { return }
        while let next = stack.last, next.release != target {
            undone.append(stack.removeLast())
        }
        if stack.isEmpty { stack.append(rollback) }
    }
}

extension LedgerRecord {
    /// A deploy or resume that switched no host: it ended `not_switched`, or every host it
    /// recorded ended `unchanged` or `unreachable`. It changed nothing that serves, so it says
    /// nothing for or against a release an earlier run promoted.
    var switchedNothing: Bool {
        outcome == .notSwitched || (!hosts.isEmpty && hosts.allSatisfy { $0.state == "unchanged" || $0.state == "unreachable" })
    }

    /// A deploy whose hosts (as recorded) include one that ended on its release, promoted; a
    /// record without hosts (an older one) is taken at its word.
    var promotedSomeHost: Bool {
        kind == .rollback || hosts.isEmpty || hosts.contains { $0.state == "promoted" }
    }
}
