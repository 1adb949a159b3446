import CLibSSH2
import Glibc
public import HostKeys

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

    private init(endpoint: SSHEndpoint, hostKeyTrust: HostKeyTrust, thread: SessionThread) {
        self.endpoint = endpoint
        self.hostKeyTrust = hostKeyTrust
        self.thread = thread
    }

    /// Connects, verifies the host key and authenticates, all within `options.connectTimeout`.
    public static func connect(to endpoint: SSHEndpoint, options: SSHOptions = SSHOptions()) async throws(SSHError) -> SSHConnection {
        let thread = try SessionThread(name: "ssh \(endpoint.name)")
        do {
            let trust = try await thread.run { context, token throws(SSHError) in
                try SessionOpening(endpoint: endpoint, options: options, context: context, token: token).open()
            }
            return SSHConnection(endpoint: endpoint, hostKeyTrust: trust, thread: thread)
        } catch {
            thread.stop()
            throw error
        }
    }

    /// Runs `command` through the login shell of the remote user and waits for it to end.
    ///
    /// A non-zero exit status is a result, not an error. Errors are transport failures,
    /// `timeout` (the remote process group is then terminated) and `cancelled`.
    /// - Parameters:
    ///   - captureLimit: bytes kept per stream in the result; output beyond it still reaches `output`.
    ///   - output: receives output as it arrives, on the connection's thread.
    public func run(
        _ command: String, timeout: Duration? = nil, captureLimit: Int = 8 << 20, output: OutputHandler? = nil
    ) async throws(SSHError) -> CommandResult {
        try await thread.run { context, token throws(SSHError) in
            let session = try context.connectedSession()
            return try RemoteExecution(
                session: session, command: command, timeout: timeout,
                captureLimit: captureLimit, output: output, token: token
            ).run()
        }
    }

    /// Streams a local file to `remotePath`, checking its sha256 on the host before it
    /// appears there; a partial or corrupted upload never reaches `remotePath`.
    public func upload(
        localPath: String, to remotePath: String, timeout: Duration? = nil,
        progress: (@Sendable (Int64) -> Void)? = nil
    ) async throws(SSHError) -> UploadResult {
        try await upload(localPath: localPath, to: remotePath, timeout: timeout, progress: progress, fault: nil)
    }

    /// The same, with a fault injected in transit (tests prove the integrity check this way).
    func upload(
        localPath: String, to remotePath: String, timeout: Duration?,
        progress: (@Sendable (Int64) -> Void)?, fault: UploadFault?
    ) async throws(SSHError) -> UploadResult {
        try await thread.run { context, token throws(SSHError) in
            let session = try context.connectedSession()
            return try RemoteUpload(
                session: session, localPath: localPath, remotePath: remotePath,
                timeout: timeout, progress: progress, fault: fault, token: token
            ).run()
        }
    }

    /// Disconnects and stops the connection's thread. Safe to call more than once.
    public func close() async {
        _ = try? await thread.run { context, _ throws(SSHError) in
            context.session?.close()
            context.session = nil
        }
        thread.stop()
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
