import CLibSSH2
import Glibc
public import HostKeys
import Synchronization

/// An authenticated SSH connection to one host, ready to run commands and upload files.
///
/// Every libssh2 call for this connection runs on the connection's own thread; the methods
/// here only await that thread, so callers on the cooperative pool never block. Operations on
/// one connection run one after another; use several connections for parallelism.
///
/// - Important: call ``close()`` when done; a connection that is dropped without it is closed
///   by its thread when the last reference goes away.
public final class SSHConnection: Sendable {
    public let endpoint: SSHEndpoint
    /// Why the host key was trusted.
    public let hostKeyTrust: HostKeyTrust
    let thread: SessionThread
    /// Jump host connections made for this connection alone (no shared pool was given).
    private let ownedPool: JumpHostPool?
    /// Secrets every command receives on stdin, and who watches commands (`--verbose`).
    private let commandContext = Mutex(CommandContext())

    private struct CommandContext {
        var secrets: [RemoteSecret] = []
        var trace: CommandTrace?
        var sharedShell = false
    }

    private init(endpoint: SSHEndpoint, hostKeyTrust: HostKeyTrust, thread: SessionThread, ownedPool: JumpHostPool?) {
        self.endpoint = endpoint
        self.hostKeyTrust = hostKeyTrust
        self.thread = thread
        self.ownedPool = ownedPool
    }

    /// Connects, verifies the host key and authenticates, all within `options.connectTimeout`.
    ///
    /// An endpoint with jump hosts is reached through `direct-tcpip` channels on them; pass a
    /// ``JumpHostPool`` so that many targets share one authenticated session per jump host.
    public static func connect(
        to endpoint: SSHEndpoint, options: SSHOptions = SSHOptions(), jumpHosts pool: JumpHostPool? = nil
    ) async throws(SSHError) -> SSHConnection {
        guard !endpoint.jumpHosts.isEmpty else {
            return try await open(endpoint, options: options, socket: nil, ownedPool: nil)
        }
        let ownedPool = pool == nil ? JumpHostPool(options: options) : nil
        let jumpPool = pool ?? ownedPool!
        do throws(SSHError) {
            let socket: Int32
            do throws(SSHError) {
                let jump = try await jumpPool.connection(through: endpoint.jumpHosts)
                socket = try await jump.openTunnel(to: endpoint.host, port: endpoint.port, timeout: options.connectTimeout)
            } catch {
                throw SSHError(error.code, about: endpoint.name, error.message, cause: error)
            }
            return try await open(endpoint, options: options, socket: socket, ownedPool: ownedPool)
        } catch {
            await ownedPool?.close()
            throw error
        }
    }

    /// Connects over a socket that is already a tunnel (a hop of a jump chain).
    static func connectThroughTunnel(_ endpoint: SSHEndpoint, options: SSHOptions, socket: Int32) async throws(SSHError) -> SSHConnection {
        try await open(endpoint, options: options, socket: socket, ownedPool: nil)
    }

    private static func open(
        _ endpoint: SSHEndpoint, options: SSHOptions, socket: Int32?, ownedPool: JumpHostPool?
    ) async throws(SSHError) -> SSHConnection {
        let thread: SessionThread
        do {
            thread = try SessionThread(name: "ssh \(endpoint.name)")
        } catch {
            if let socket { Glibc.close(socket) }
            throw error
        }
        do {
            let trust = try await thread.run { context, token throws(SSHError) in
                try SessionOpening(endpoint: endpoint, options: options, context: context, token: token, socket: socket).open()
            }
            return SSHConnection(endpoint: endpoint, hostKeyTrust: trust, thread: thread, ownedPool: ownedPool)
        } catch {
            thread.stop()
            throw error
        }
    }

    /// Opens a `direct-tcpip` channel from this host to `host:port` and returns a local socket
    /// that carries it; this connection's thread moves the bytes.
    func openTunnel(to host: String, port: Int, timeout: Duration) async throws(SSHError) -> Int32 {
        try await thread.run { context, token throws(SSHError) in
            let session = try context.connectedSession()
            let deadline = ContinuousClock.now + timeout
            let channel = try LibSSH2Channel.openDirectTCPIP(on: session, host: host, port: port, token: token, deadline: deadline)
            var pair: [Int32] = [0, 0]
            guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &pair) == 0 else {
                channel.free()
                throw SSHError(.io, about: session.label, "socketpair failed: \(String(cString: strerror(errno)))")
            }
            TCPSocket.setNonBlocking(pair[0])
            TCPSocket.setNonBlocking(pair[1])
            let tunnels: TunnelSet
            if let existing = context.idleWork as? TunnelSet {
                tunnels = existing
            } else {
                tunnels = TunnelSet(session: session)
                context.idleWork = tunnels
            }
            tunnels.add(Tunnel(channel: channel, socket: pair[0], label: "\(session.label) → \(host):\(port)"))
            return pair[1]
        }
    }

    /// The key exchange, host key type, cipher and MAC the handshake agreed on (client to server).
    func negotiatedAlgorithms() async throws(SSHError) -> [String] {
        try await thread.run { context, _ throws(SSHError) in
            let session = try context.connectedSession()
            return [AlgorithmPreferences.Kind.keyExchange, .hostKey, .cipher, .mac].map { AlgorithmPreferences.agreed($0, in: session) ?? "?" }
        }
    }

    /// Gives every later command on this connection these secrets (sent on stdin, never on the
    /// command line), and reports commands to `trace`. A command sees them as environment
    /// variables only where it asks: see ``run(_:exportingSecrets:timeout:captureLimit:output:)``.
    ///
    /// `sharedShell`: commands run one after another in one shell kept open on one channel
    /// (``RemoteShell``) rather than a channel each: the host forks and starts a shell once per
    /// connection, not once per command. A command with `input`, or `exportingSecrets`, still
    /// gets a channel of its own, and so does every command where the login shell is not bash 5.
    public func prepareCommands(secrets: [RemoteSecret], trace: CommandTrace?, sharedShell: Bool = false) {
        commandContext.withLock { $0 = CommandContext(secrets: secrets, trace: trace, sharedShell: sharedShell) }
    }

    /// Runs `command` through the login shell of the remote user and waits for it to end.
    ///
    /// Its stdin holds only the secrets given to ``prepareCommands(secrets:trace:sharedShell:)``, then
    /// end of file. The shell reads them into private variables: they are exported, under their
    /// names, only to what `command` runs through ``RemoteSecret/exporting`` (the user's hook in a
    /// script of Cutover's own), or to all of it with `exportingSecrets` (a command that is the
    /// user's own). Cutover's own commands (`tar`, `mv`, `sha256sum`) never see them.
    ///
    /// A non-zero exit status is a result, not an error. Errors are transport failures,
    /// `timeout`, `stalled` (the remote process group is then terminated) and `cancelled`.
    /// - Parameters:
    ///   - noProgressTimeout: the longest the command may print nothing (`stalled` after it).
    ///   - captureLimit: bytes kept per stream in the result; output beyond it still reaches `output`.
    ///   - output: receives output as it arrives, on the connection's thread.
    ///   - input: bytes the command itself reads on stdin, after the secrets (a value that must
    ///     not appear on the host's command lines, such as a URL carrying a token).
    public func run(
        _ command: String, exportingSecrets: Bool = false, timeout: Duration? = nil, noProgressTimeout: Duration? = nil,
        captureLimit: Int = 8 << 20, output: OutputHandler? = nil, input: [UInt8] = []
    ) async throws(SSHError) -> CommandResult {
        let prepared = commandContext.withLock { $0 }
        let shared = prepared.sharedShell && input.isEmpty && !exportingSecrets && RemoteShell.canCarry(command)
        return try await thread.run { context, token throws(SSHError) in
            let session = try context.connectedSession()
            if shared && !context.shellRefused,
               let result = try context.runInShell(command, session: session, secrets: prepared.secrets, timeout: timeout,
                                                   noProgressTimeout: noProgressTimeout, captureLimit: captureLimit, output: output,
                                                   token: token, trace: prepared.trace) {
                return result
            }
            return try RemoteExecution(
                session: session, command: command, timeout: timeout, noProgressTimeout: noProgressTimeout,
                captureLimit: captureLimit, output: output, token: token,
                secrets: prepared.secrets, exportingSecrets: exportingSecrets, trace: prepared.trace, input: input
            ).run()
        }
    }

    /// How long an upload may go without the host accepting a byte, unless the caller says.
    public static let defaultUploadNoProgressTimeout: Duration = .seconds(60)

    /// Streams a local file to `remotePath`, checking its sha256 on the host before it
    /// appears there; a partial or corrupted upload never reaches `remotePath`.
    ///
    /// - Parameters:
    ///   - expectedSHA256: the file's sha256 (lowercase hex) when already known, e.g.
    ///     computed once for a whole fleet; the host must receive bytes with exactly this hash.
    ///   - noProgressTimeout: the longest the host may accept no byte (`stalled` after it);
    ///     nil: no limit.
    public func upload(
        localPath: String, to remotePath: String, expectedSHA256: String? = nil, timeout: Duration? = nil,
        noProgressTimeout: Duration? = SSHConnection.defaultUploadNoProgressTimeout,
        mode: Int? = nil, progress: (@Sendable (Int64) -> Void)? = nil
    ) async throws(SSHError) -> UploadResult {
        try await upload(localPath: localPath, to: remotePath, expectedSHA256: expectedSHA256, timeout: timeout,
                         noProgressTimeout: noProgressTimeout, mode: mode, progress: progress, fault: nil)
    }

    /// The same, with a fault injected in transit (tests prove the integrity check this way).
    func upload(
        localPath: String, to remotePath: String, expectedSHA256: String? = nil, timeout: Duration?,
        noProgressTimeout: Duration? = SSHConnection.defaultUploadNoProgressTimeout,
        mode: Int? = nil, progress: (@Sendable (Int64) -> Void)?, fault: UploadFault?
    ) async throws(SSHError) -> UploadResult {
        try await thread.run { context, token throws(SSHError) in
            let session = try context.connectedSession()
            return try RemoteUpload(
                session: session, localPath: localPath, remotePath: remotePath,
                timeout: timeout, noProgressTimeout: noProgressTimeout, progress: progress,
                expectedSHA256: expectedSHA256, fault: fault, token: token, mode: mode
            ).run()
        }
    }

    /// Disconnects and stops the connection's thread. Safe to call more than once.
    public func close() async {
        _ = try? await thread.run { context, _ throws(SSHError) in
            context.closeShell()
            context.idleWork?.shutdown()
            context.idleWork = nil
            context.session?.close()
            context.session = nil
        }
        await thread.stopAndWait()
        await ownedPool?.close()
    }

    deinit {
        thread.stop()
    }
}

extension SessionThreadContext {
    func connectedSession() throws(SSHError) -> LibSSH2Session {
        guard let session else { throw SSHError(.closed, "the connection is closed") }
        return session
    }

    /// Runs `command` in the connection's ``RemoteShell``, started when there is none (or it
    /// holds other secrets); nil when the shell did not start it (the login shell is not bash 5,
    /// or the shell ended between commands): nothing ran, the caller gives it a channel of its
    /// own. A shell left broken by an error or by its end is freed, the next command starts another.
    func runInShell(_ command: String, session: LibSSH2Session, secrets: [RemoteSecret], timeout: Duration?,
                    noProgressTimeout: Duration?, captureLimit: Int, output: OutputHandler?, token: CancelToken,
                    trace: CommandTrace?) throws(SSHError) -> CommandResult? {
        if let existing = shell, existing.secrets != secrets { closeShell() }
        let fresh = shell == nil
        let current: RemoteShell
        if let shell {
            current = shell
        } else {
            current = try RemoteShell(session: session, secrets: secrets, token: token, deadline: timeout.map { .now + $0 })
            shell = current
        }
        defer { if current.broken { closeShell() } }
        switch try current.run(command, timeout: timeout, noProgressTimeout: noProgressTimeout, captureLimit: captureLimit,
                               output: output, token: token, trace: trace) {
        case .finished(let result):
            return result
        case .notStarted:
            // A fresh shell that never started a command is not bash 5: not tried again here.
            if fresh { shellRefused = true }
            return nil
        }
    }

    /// Ends the connection's shell, if any, and frees its channel (before the session).
    func closeShell() {
        shell?.close()
        shell = nil
    }
}

extension SessionThread {
    /// `perform` with the error type narrowed to ``SSHError``.
    func run<T: Sendable>(
        _ body: @escaping @Sendable (SessionThreadContext, CancelToken) throws(SSHError) -> T
    ) async throws(SSHError) -> T {
        do {
            return try await perform { context, token in try body(context, token) }
        } catch let error as SSHError {
            throw error
        } catch {
            throw SSHError(.cancelled, "cancelled", cause: error)
        }
    }
}
