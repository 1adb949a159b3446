/// One ssh_config of the differential corpus: the config text, the host names asked about, and
/// extra files it includes. `$DIR` in any text is the case's temporary directory; `$SSHSUB` is a
/// directory under `~/.ssh` that exists for the case (for relative `Include`, which OpenSSH
/// resolves against `~/.ssh`).
struct SSHConfigCase: Sendable {
    var name: String
    var config: String
    var hosts: [String]
    /// Relative to `$DIR` unless the key starts with `~/.ssh/$SSHSUB/`.
    var files: [String: String] = [:]

}
