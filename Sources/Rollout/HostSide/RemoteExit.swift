/// The exit statuses Cutover's own remote scripts end with to say what happened, written in
/// the scripts (``shell``) and read back (``init(_:)``) from this one list, so the two sides
/// cannot drift apart. Any other status is the failure of a command the script ran.
enum RemoteExit: Int32, Sendable, CaseIterable {
    /// `promote` or `abort` found nothing to answer: no deploy holds the lock, or (promote) the
    /// deploy that holds it is not waiting at a pause. Not a failure: nothing was written.
    case nothingToAnswer = 73
    /// The lease's `mkdir` mutex stayed taken (a run died inside it), or the fencing token
    /// file holds something else than a number.
    case leaseMutexStuck = 74
    /// Another live deploy holds the lease; the script printed its lock file.
    case leaseHeld = 75
    /// A fenced step found the lock no longer carries this run's token: nothing was written.
    case leaseLost = 76
    /// A link in an extracted release resolves outside it (``RemoteScripts/extract(release:archive:sha256:gzip:shared:preserveModes:)``).
    case linkEscape = 77
    /// The deploy root, or something Cutover keeps in it, is not the login user's alone (``DeployRootCheck``).
    case deployRootRefused = 78
    /// The upload no longer holds the bytes its sha256 check passed.
    case uploadChanged = 79

    /// The status a command ended with, when it is one of these.
    init?(_ status: Int32?) {
        guard let status, let exit = RemoteExit(rawValue: status) else { return nil }
        self = exit
    }

    /// `exit 75`: the shell command that ends a script with this status.
    var shell: String { "exit \(rawValue)" }
}
