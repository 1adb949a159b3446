import Transport

/// How one host's part of a run ended.
public struct HostOutcome: Sendable {
    public enum Status: String, Sendable, Hashable {
        /// Connected, and the command exited 0.
        case ok
        /// Connected but the command failed (non-zero exit, signal, timeout), or the host
        /// refused us (host key, authentication).
        case failed
        /// Could not be reached at all (resolve, connect, handshake, connection lost before it answered).
        case unreachable
    }

    public var host: String
    public var address: String
    public var status: Status
    /// The command's result when it ran to the end.
    public var result: RemoteCommandResult?
    /// What went wrong, when something did besides a non-zero exit.
    public var error: HostFailure?
    /// What an upload sent and proved (upload only).
    public var upload: UploadReceipt?
    /// Why the host key was trusted (check only).
    public var hostKeyTrust: HostKeyAcceptance?
    public var duration: Duration

    public init(host: String, address: String, status: Status, result: RemoteCommandResult? = nil,
                error: HostFailure? = nil, hostKeyTrust: HostKeyAcceptance? = nil, duration: Duration) {
        self.host = host
        self.address = address
        self.status = status
        self.result = result
        self.error = error
        self.hostKeyTrust = hostKeyTrust
        self.duration = duration
    }

    /// Classifies a transport error. `answered`: the host was connected and authenticated in
    /// this run before the error; a connection lost after that is a failure of the host's
    /// run, never "unreachable" (sshd dropping a request it refused, a session killed on the host).
    static func failure(host: String, address: String, error: SSHError, duration: Duration, answered: Bool = false) -> HostOutcome {
        HostOutcome(host: host, address: address, status: error.isUnreachable && !answered ? .unreachable : .failed,
                    error: HostFailure(error), duration: duration)
    }
}

/// Counts of a finished run.
public struct RunSummary: Sendable, Hashable {
    public var ok: Int
    public var failed: Int
    public var unreachable: Int
    public var duration: Duration

    public init(ok: Int = 0, failed: Int = 0, unreachable: Int = 0, duration: Duration = .zero) {
        self.ok = ok
        self.failed = failed
        self.unreachable = unreachable
        self.duration = duration
    }

    public var total: Int { ok + failed + unreachable }
    public var allSucceeded: Bool { failed == 0 && unreachable == 0 }

    mutating func count(_ outcome: HostOutcome) {
        switch outcome.status {
        case .ok: ok += 1
        case .failed: failed += 1
        case .unreachable: unreachable += 1
        }
    }
}
