/// The shell that keeps a deploy root the login user's alone (README, "Hostile input").
///
/// Another local user who can write into the deploy root, `.cutover`, `.cutover/incoming`,
/// `.cutover/releases` or `releases/` could plant a link under a name Cutover writes, swap an
/// upload before `tar` reads it, or leave a release under its predictable name. So each of
/// them that exists must be owned by the login user and writable by no one else (the deploy
/// root itself may be a symbolic link, the others may not), and the files Cutover reads or
/// appends to under fixed names (`journal`, `lock`, `fence`) must not be symbolic links.
/// Parents of the deploy root are not checked: one others can write (a sticky `/tmp`) is
/// fine as long as the deploy root in it is ours. `shared/` is the app's and not checked.
///
/// The snippets run after ``HostLayout/preamble`` (`$R`, `$M`, `$J`). A refusal prints the
/// path, its owner and its mode on stderr and exits ``RemoteExit/deployRootRefused``; nothing
/// is written before it.
struct DeployRootCheck: Sendable {
    /// Directories that must be the login user's alone, in the order they are made.
    private static let directories = ["\"$R\"", "\"$M\"", "\"$M/incoming\"", "\"$M/releases\"", "\"$R/releases\""]
    /// Files read or appended to under a fixed name: never followed when they are links.
    private static let fixedFiles = ["\"$J\"", "\"$M/lock\"", "\"$M/fence\""]

    /// Shell functions: `co_owned PATH…` refuses a path that exists but is not the login
    /// user's alone (one `stat` for all of them: a fenced step costs few processes on the
    /// host); `co_nolink PATH` refuses a symbolic link.
    private static let functions = """
    co_me=
    co_nolink() { if [ -L "$1" ]; then echo "$1 is a symbolic link: refusing to follow it" >&2; \(RemoteExit.deployRootRefused.shell); fi; }
    co_owned() {
      for co_p; do
        shift
        [ "$co_p" = "$R" ] || co_nolink "$co_p"
        if [ -e "$co_p" ] || [ -L "$co_p" ]; then set -- "$@" "$co_p"; fi
      done
      [ $# -gt 0 ] || return 0
      # The login user's uid: the owner of /proc/self as `stat` sees it (its own process), read
      # by the same `stat`; `id -u` where there is no /proc.
      co_self=
      if [ -z "$co_me" ] && [ -d /proc/self ]; then co_self=1; set -- /proc/self "$@"; fi
      co_s=$(stat -L -c '%u:%a:%U' -- "$@") || \(RemoteExit.deployRootRefused.shell)
      if [ -n "$co_self" ]; then co_me=${co_s%%:*}; co_s=${co_s#*"
    "}; shift; fi
      co_me=${co_me:-$(id -u)}
      while IFS=: read -r co_u co_m co_n; do
        co_p=$1; shift
        if [ "$co_u" != "$co_me" ] || [ $(( 0$co_m & 022 )) -ne 0 ]; then
          echo "$co_p is owned by $co_n with mode $co_m: a deploy root and what Cutover keeps in it must be owned by $(id -un) and writable by no one else" >&2
          \(RemoteExit.deployRootRefused.shell)
        fi
      done <<CO_STAT
    $co_s
    CO_STAT
      # Every path was checked (a here-document that could not be written checks none).
      if [ $# -ne 0 ]; then echo "cannot check who owns $1" >&2; \(RemoteExit.deployRootRefused.shell); fi
    }

    """

    /// Checks what exists, creates nothing: every fenced step and every verb that writes into
    /// `.cutover` starts with it.
    static var verify: String {
        functions
            + "co_owned " + directories.joined(separator: " ") + "\n"
            + fixedFiles.map { "co_nolink \($0)" }.joined(separator: "; ") + "\n"
    }

    /// Checks each directory before creating the next inside it: the deploy root and
    /// `releases/`, `shared/` with umask 022; `.cutover` and what is in it with umask 077
    /// (only the login user may even read them). An existing directory keeps its mode.
    /// When every one of them is already there (every deploy but the first), they are checked
    /// together.
    static var prepare: String {
        var script = functions
        let present = directories.map { "{ [ -e \($0) ] || [ -L \($0) ]; }" }.joined(separator: " && ")
        script += "if \(present); then co_owned \(directories.joined(separator: " ")); else\n"
        for (directory, umask) in zip(directories, ["022", "077", "077", "077", "022"]) {
            script += "[ -e \(directory) ] || [ -L \(directory) ] || (umask \(umask) && mkdir -p -- \(directory)) || \(RemoteExit.deployRootRefused.shell); co_owned \(directory)\n"
        }
        script += "fi\n"
        script += "[ -e \"$R/shared\" ] || [ -L \"$R/shared\" ] || (umask 022 && mkdir -p -- \"$R/shared\")\n"
        return script + fixedFiles.map { "co_nolink \($0)" }.joined(separator: "; ") + "\n"
    }
}
