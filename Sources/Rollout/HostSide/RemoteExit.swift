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
    /// A link in an extracted release resolves outside it (``RemoteScripts/extract(release:archive:sha256:gzip:shared:preserveModes:archiveSHA256:listing:listingOnStdin:unpack:leftovers:)``):
    /// the staging directory is removed.
    case linkEscape = 77
    /// The deploy root, or something Cutover keeps in it, is not the login user's alone (``DeployRootCheck``).
    case deployRootRefused = 78
    /// The upload no longer holds the bytes its sha256 check passed, or is no longer a plain
    /// file: it is removed and not extracted.
    case uploadChanged = 79
    /// A delta could not build a tree equal to the artifact (an older release file changed, a
    /// listing lied, a copy failed): nothing of it is kept, and the host gets a full push
    /// (``RemoteScripts/deltaUnpack(from:release:directArguments:)``).
    case deltaMismatch = 80

    /// The status a command ended with, when it is one of these.
    init?(_ status: Int32?) {
        guard let status, let exit = RemoteExit(rawValue: status) else { return nil }
        self = exit
    }

    /// `exit 75`: the shell command that ends a script with this status.
    var shell: String { "exit \(rawValue)" }
}

/// The statuses coreutils `timeout` ends with when it stopped the command it ran, written in
/// the scripts that run one (the relay's `ssh`, the pull's `wget`, an inline check) and read
/// back from this one list.
enum TimeoutExit: Int32, Sendable, CaseIterable {
    /// The command ran out of time and ended on `timeout`'s TERM.
    case expired = 124
    /// The command outlived `timeout -k`'s grace too and was KILLed (128 + 9).
    case killed = 137

    /// The status a command ended with, when `timeout` stopped it.
    init?(_ status: Int32?) {
        guard let status, let exit = TimeoutExit(rawValue: status) else { return nil }
        self = exit
    }
}
