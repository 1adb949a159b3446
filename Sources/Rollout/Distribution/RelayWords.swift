// The words ``RelayScript``'s scripts print to say how they ended (`relay=failed reason=nossh`,
// `serve=no reason=write`, …), written in the script text and read back by ``RelayOutcome``
// and ``ServeOutcome`` from these lists, so the two sides cannot drift apart. A word read that
// is not in them (a script cut short, another version) reads as the general failure.

/// How a receiving host's fetch ended: the `relay=` word.
enum RelayFetchStatus: String, Sendable, CaseIterable {
    /// The host holds the artifact (`bytes=`).
    case ok
    /// The fetch failed (``RelayFetchReason``).
    case failed
    /// The source sent other bytes than the artifact's (``RelayFetchReason/size``, ``RelayFetchReason/sha256``).
    case mismatch

    /// `relay=ok`: the start of the fetch's last line.
    var line: String { "relay=" + rawValue }
}

/// Why a fetch did not give the host the artifact: the `reason=` word after `relay=failed` or
/// `relay=mismatch`.
enum RelayFetchReason: String, Sendable, CaseIterable {
    /// The incoming directory, or the key's private directory in it, cannot be made.
    case mkdir
    /// The private key or the source's known_hosts line did not arrive on stdin.
    case noKey = "nokey"
    /// The private key is not base64.
    case key
    /// The host has no ssh client.
    case noSSH = "nossh"
    /// The host's own write of the artifact failed (a full disk).
    case write
    /// `ssh` to the source failed (`exit=`, `error=`: ``RelaySSHFailure``, `bytes=`).
    case ssh
    /// The artifact cannot be renamed into place.
    case move = "mv"
    /// The source sent more bytes than the artifact has.
    case size
    /// The bytes the source sent do not have the artifact's sha256 (`bytes=`).
    case sha256

    /// The status word this reason goes with: a source that sent other bytes is a mismatch.
    var status: RelayFetchStatus { self == .size || self == .sha256 ? .mismatch : .failed }

    /// `relay=failed reason=nossh`: the start of the line the fetch ends with.
    var line: String { status.line + " reason=" + rawValue }
}

/// What the fetch's `ssh` to its source ran into, from its exit status and its messages
/// (classified on the host, never printed): the `error=` word after `reason=ssh`.
enum RelaySSHFailure: String, Sendable, CaseIterable {
    case refused
    /// `timeout` stopped it (``TimeoutExit/expired``), or ssh said it timed out.
    case timeout
    case hostKey = "hostkey"
    case denied
    case unreachable
    /// ssh connected and the source's forced `cat` failed (a status other than ssh's own 255).
    case command
    /// Anything else.
    case other

    /// What the event says.
    var text: String {
        switch self {
        case .refused: "connection refused"
        case .timeout: "timed out"
        case .hostKey: "host key verification failed"
        case .denied: "the source refused the relay key"
        case .unreachable: "the source is unreachable"
        case .command: "the source's cat failed"
        case .other: "ssh failed"
        }
    }
}

/// Why a host holding the artifact does not serve it to others: the `reason=` word after
/// `serve=no` (``RelayScript/serve``, ``RelayScript/authorize(_:as:)``).
enum ServeRefusal: String, Sendable, CaseIterable {
    case copy
    case home
    case keysDirectory = "keysdir"
    case keysFile = "keysfile"
    case keysLinks = "keyslinks"
    case keysDirectoryReadOnly = "keysdirro"
    case noKey = "nokey"
    case noSSH = "nossh"
    case probe
    case date
    case write
    case revoke
    case unconfined
    case environment

    /// `ok`: the `serve=` word of a host that serves.
    static let servedWord = "ok"
    /// `serve=ok`: the line a host that serves ends with.
    static let served = "serve=" + servedWord

    /// `serve=no reason=write`: the line a host that does not serve ends with.
    var line: String { "serve=no reason=" + rawValue }

    /// Why not, as the event says it.
    var text: String {
        switch self {
        case .copy: "cannot keep a copy of the artifact"
        case .home, .keysDirectory: "the login user has no usable home directory"
        case .keysFile: "~/.ssh/authorized_keys is a link or not a plain file"
        case .date: "cannot compute the key's expiry time"
        case .write: "cannot write ~/.ssh/authorized_keys"
        case .keysDirectoryReadOnly: "~/.ssh is not writable, so a relay line in ~/.ssh/authorized_keys could not be removed again"
        case .keysLinks: "~/.ssh/authorized_keys has more than one hard link"
        case .noKey: "it did not receive the relay key"
        case .noSSH: "it has no ssh client to check its sshd with"
        case .unconfined:
            "its sshd does not confine the relay key to its forced command (a ForceCommand or an accepted environment ran another command)"
        case .environment:
            "its sshd does not confine the relay key: it accepts environment variables from the client beyond LANG and LC_* "
                + "(AcceptEnv), which bash or the dynamic linker act on before the forced command"
        case .probe: "cannot check that its sshd confines the relay key (its own ssh to itself failed)"
        case .revoke: "removing the relay key's line from ~/.ssh/authorized_keys failed"
        }
    }
}
