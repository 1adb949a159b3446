public import Fleet
public import Release
import Transport

/// How to reach the hosts of a run: which inventory, which hosts, how many at once.
public struct ConnectionSettings: Sendable, Hashable {
    public var inventoryPath: String
    /// An OpenSSH client config to honour; nil means `~/.ssh/config` when it exists.
    public var sshConfigPath: String?
    /// A `--limit` expression: names, groups, `label=value`, globs, combined with `,`, `&`, `!`.
    public var limit: String?
    /// Hosts worked on at once, when the caller chose a number (`--parallel`); nil lets the
    /// playbook's `parallel` apply, else ``defaultParallel``.
    public var chosenParallel: Int?
    /// Hosts worked on at once.
    public var parallel: Int {
        get { chosenParallel ?? Self.defaultParallel }
        set { chosenParallel = newValue }
    }
    /// SSH handshakes in flight at once (sshd's MaxStartups defaults to 10:30:100).
    public var handshakes: Int
    public var connectTimeout: Duration
    /// `--verbose`: who sees every remote command and its output.
    public var commandObserver: CommandObserver? = nil
    /// Who hears the inventory's and ssh_config's warnings; nil: nobody.
    public var warningObserver: WarningObserver? = nil
    /// Runs ssh_config `Match exec` commands, each once per run: one shared by every inventory
    /// load of a run (the CLI shares one per process); nil: a runner of its own for each load.
    public var matchExec: MatchExecRunner? = nil
    /// The inventory as this run first read it, shared by every later load (the CLI makes one
    /// per process); nil: each load reads the files again.
    public var inventorySnapshot: InventorySnapshot? = nil
    /// The playbook and its rollback policy as this run first read them, shared by every later
    /// load (the CLI makes one per process); nil: each load reads the files again.
    public var playbookSnapshot: PlaybookSnapshot? = nil
    /// `--environment`: names the inventory's environment when it cannot (Ansible), or
    /// confirms the one it names (see ``FleetEnvironment``).
    public var environment: String? = nil

    /// `parallel` when nobody chose one and no playbook says.
    public static let defaultParallel = 50

    public init(
        inventoryPath: String, sshConfigPath: String? = nil, limit: String? = nil,
        parallel: Int? = nil, handshakes: Int = 10, connectTimeout: Duration = .seconds(10)
    ) {
        self.inventoryPath = inventoryPath
        self.sshConfigPath = sshConfigPath
        self.limit = limit
        self.chosenParallel = parallel
        self.handshakes = handshakes
        self.connectTimeout = connectTimeout
    }
}

/// Where `--verbose` sends remote commands and their output; compared by identity.
public final class CommandObserver: Sendable, Hashable {
    private let makeTrace: @Sendable () -> CommandTraceSink

    /// A trace of its own for each connection, made when it opens: a connection runs its
    /// commands one after another, so the trace can follow each command's output as one stream.
    public init(perConnection makeTrace: @escaping @Sendable () -> CommandTraceSink) {
        self.makeTrace = makeTrace
    }

    /// The trace for a connection being opened.
    public func connectionTrace() -> CommandTraceSink { makeTrace() }

    /// The trace for a connection being opened, in the transport's words.
    func transportTrace() -> CommandTrace {
        let trace = makeTrace()
        return { record in trace(CommandTraceEvent(record)) }
    }

    public static func == (lhs: CommandObserver, rhs: CommandObserver) -> Bool { lhs === rhs }
    public func hash(into hasher: inout Hasher) { hasher.combine(ObjectIdentifier(self)) }
}
