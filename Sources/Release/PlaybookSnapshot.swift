import Diagnostics
import Synchronization

/// The playbooks and rollback policies as a run first read them: every later load of the same
/// file in that run answers from it, so the confirmation, the ledger's and the webhooks' app,
/// the plan and the run all see one version of the playbook, read once.
///
/// A deploy read its playbook three or four times (the ledger lease's app, the webhooks, the
/// plan and run, the production prompt's ledger lookup) and `resume` its rollback policy twice:
/// a playbook given through a pipe (`cutover deploy <(render-playbook)`, which the shell passes
/// as `/dev/fd/N`) gave its text to the first read only, and a file edited in between could be
/// one version for the ledger and another for the hosts. Shared by identity (the CLI makes one
/// per process, one verb); callers that pass none read the files every time. A failed load is
/// kept too: the run gets the same diagnostics wherever it asks.
///
/// A load runs under the snapshot's lock: a second ask waits for the first read rather than
/// reading the file again (a pipe has nothing left for it).
public final class PlaybookSnapshot: Sendable, Hashable {
    /// A rollback policy is the one a playbook (by its resolved path) names.
    private struct PolicyKey: Hashable {
        let playbookPath: String
        let name: String
    }

    private let playbooks = Mutex([String: Result<Playbook, DiagnosticError>]())
    private let policies = Mutex([PolicyKey: Result<RollbackPolicy, DiagnosticError>]())

    public init() {}

    /// The playbook at `path` (as resolved): the one kept, else `load()`'s, kept for the next ask.
    func playbook(at path: String, load: () throws(DiagnosticError) -> Playbook) throws(DiagnosticError) -> Playbook {
        try playbooks.withLock { kept in
            if let found = kept[path] { return found }
            let loaded = Result { () throws(DiagnosticError) -> Playbook in try load() }
            kept[path] = loaded
            return loaded
        }.get()
    }

    /// The rollback policy `name` of the playbook at `playbookPath`: the one kept, else `load()`'s.
    func policy(named name: String, playbookPath: String,
                load: () throws(DiagnosticError) -> RollbackPolicy) throws(DiagnosticError) -> RollbackPolicy {
        let key = PolicyKey(playbookPath: playbookPath, name: name)
        return try policies.withLock { kept in
            if let found = kept[key] { return found }
            let loaded = Result { () throws(DiagnosticError) -> RollbackPolicy in try load() }
            kept[key] = loaded
            return loaded
        }.get()
    }

    public static func == (lhs: PlaybookSnapshot, rhs: PlaybookSnapshot) -> Bool { lhs === rhs }
    public func hash(into hasher: inout Hasher) { hasher.combine(ObjectIdentifier(self)) }
}
