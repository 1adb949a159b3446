public import Release
import Synchronization

/// A simulated host's deploy root: what survives from one run to the next (releases, `current`,
/// the journal, the lease, the pause decision), as the real host keeps it on disk. Shared by the
/// host's worker and the test or benchmark that inspects it afterwards.
public final class SimulatedDisk: Sendable {
    public struct Contents: Sendable, Hashable {
        /// Release id → the sha256 of the artifact it was extracted from, in arrival order.
        public var releases: [(id: ReleaseID, sha256: String)] = []
        public var current: ReleaseID?
        var journal: [JournalEntry] = []
        /// The lease: token and owner, nil when free.
        public var lease: (token: Int, deploy: String)?
        /// `cutover promote`/`abort` answering a pause: action, deploy, by.
        public var decision: [String: String]?
        /// A deploy waits at a pause here (only then is an answer written, as `promote` refuses otherwise).
        public var paused = false
        /// The lease tokens handed out so far (`$M/fence`): every lease's token is higher.
        var fence = 0

        public static func == (a: Contents, b: Contents) -> Bool {
            a.releases.map(\.id) == b.releases.map(\.id) && a.releases.map(\.sha256) == b.releases.map(\.sha256)
                && a.current == b.current && a.journal == b.journal && a.lease?.token == b.lease?.token
                && a.lease?.deploy == b.lease?.deploy && a.decision == b.decision && a.paused == b.paused && a.fence == b.fence
        }

        public func hash(into hasher: inout Hasher) {
            hasher.combine(releases.map(\.id))
            hasher.combine(current)
        }

        public init() {}

        /// The steps the journal holds, oldest first (`switch`, `rollback`, `wave-verified`, …).
        public var journalSteps: [String] { journal.map(\.step.word) }

        /// The state a probe of this deploy root reads.
        var hostState: HostState {
            HostState(current: current, releases: releases.map(\.id),
                      lock: lease.map { ["token": String($0.token), "deploy": $0.deploy] },
                      journal: journal, hasTar: true,
                      manifests: Dictionary(releases.map { ($0.id, $0.sha256) }, uniquingKeysWith: { $1 }))
        }
    }

    private let contents: Mutex<Contents>

    public init(_ contents: Contents = Contents()) {
        self.contents = Mutex(contents)
    }

    /// A host already running `release` (its first), extracted from an artifact with `sha256`.
    public convenience init(running release: ReleaseID, sha256: String = "0") {
        var contents = Contents()
        contents.releases = [(release, sha256)]
        contents.current = release
        contents.journal = [JournalEntry(time: "0", deploy: "setup", step: .switch, releases: ["to": release])]
        self.init(contents)
    }

    public var snapshot: Contents { contents.withLock { $0 } }

    func update<T>(_ change: (inout Contents) -> T) -> T {
        contents.withLock { change(&$0) }
    }

    /// What `cutover promote` or `cutover abort` writes for a paused deploy; false (nothing
    /// written) when no deploy waits at a pause here.
    @discardableResult
    public func answer(_ action: PauseAction, deploy: String, by: String) -> Bool {
        contents.withLock { contents in
            guard contents.paused else { return false }
            contents.decision = ["action": action.rawValue, "deploy": deploy, "by": by]
            return true
        }
    }
}

extension SimulatedDisk {
    /// Another run's lease on this host.
    public func holdLease(token: Int, deploy: String) {
        update { contents in
            contents.fence = max(contents.fence, token)
            contents.lease = (token, deploy)
        }
    }
}
