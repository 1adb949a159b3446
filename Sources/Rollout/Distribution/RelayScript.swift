import Transport

/// The host side of `distribution: relay`, in three scripts. Every value is quoted; none of
/// them needs more than POSIX sh, coreutils, grep and an OpenSSH client and server.
///
/// - ``fetch(from:thenServe:)`` (a receiving host): reads the deploy's private key and its source's
///   known_hosts line from stdin into a private directory, runs `ssh` to the source (whose
///   authorized_keys line forces `cat` of the source's relay copy), keeps at most the
///   artifact's size, checks the sha256, renames it to the incoming file a push writes, removes
///   the key, then runs ``serve``.
/// - ``serve`` (a host holding the artifact): hard-links the incoming file to the relay copy
///   (the extract step removes the incoming file).
/// - ``authorize(_:as:)`` (a source, once per receiver): first authorises that edge's own public
///   key for a forced `env` (for two minutes at most) and, with its own ssh client and that key,
///   asks its sshd for another command while sending variables bash or the dynamic linker act on
///   and a random canary (``probeEnvironment(canary:)``): it must get the `env` output, and none
///   of them (nothing beyond LANG/LC_*, which it does not send) in it. Then it replaces that line
///   by `restrict,expiry-time=…,command="cat -- COPY"` and checks it the same way: it must get
///   the copy's first bytes back. When either fails (a `ForceCommand` wrapper runs
///   `$SSH_ORIGINAL_COMMAND`, sshd accepts the environment), the line is removed at once and the
///   host does not serve.
/// - ``revoke(_:)``: removes one edge's line (matched on its public-key blob), when its
///   receiver is done.
/// - ``cleanup``: removes this deploy's authorized_keys lines, the relay copy and any private
///   key directory left in `incoming`.
///
/// Each prints words it chose itself (`relay=…`, `serve=…`, `cleanup=…`); the ssh client's
/// messages are classified on the host, never printed (a source's banner is not ours to show).
struct RelayScript: Sendable {
    /// The incoming file the extract step reads (``HostLayout/incomingFile(sha256:gzip:)``).
    let incoming: String
    /// The relay copy a source serves: `incoming/relay-<deploy>.tar[.gz]`.
    let copy: String
    let sha256: String
    let size: Int64
    /// The longest a transfer between hosts may take (the playbook's upload timeout).
    let seconds: Int
    /// The comment that marks this deploy's authorized_keys lines.
    let marker: String

    init(layout: HostLayout, deployID: String, sha256: String, gzip: Bool, size: Int64, seconds: Int) {
        incoming = layout.incomingFile(sha256: sha256, gzip: gzip)
        copy = layout.incoming + "/relay-" + deployID + (gzip ? ".tar.gz" : ".tar")
        self.sha256 = sha256
        self.size = size
        self.seconds = max(1, seconds)
        marker = "cutover-relay-" + deployID
    }

    /// Seconds a receiving host's ssh may wait for its source to answer.
    static let connectSeconds = 15
    /// An authorised line stops working this long after the transfer timeout, should the
    /// runner never come back to remove it (killed, its connection lost for good).
    static let expiryMarginSeconds = 600

    /// Why a relay copy under `path` cannot be named in a forced command, nil when it can: the
    /// path goes into an authorized_keys option between double quotes (and single quotes for
    /// the shell), so a double quote, a backslash or a control character is refused.
    static func refusal(copy path: String) -> String? {
        guard path.unicodeScalars.allSatisfy({ $0 != "\"" && $0 != "\\" && $0.properties.generalCategory != .control }) else {
            return "the deploy root holds characters an authorized_keys forced command cannot carry safely"
        }
        return nil
    }

    /// The authorized_keys options (after `expiry-time`): `command="cat -- 'COPY'"`.
    var forcedCommand: String {
        "command=\"cat -- \(ShellQuote.quote(copy))\""
    }

    /// Keeps the relay copy a source serves (the extract step removes the incoming file).
    var serve: String {
        let q = ShellQuote.quote
        return """
        A=\(q(incoming)); C=\(q(copy))
        { ln -f -- "$A" "$C" 2>/dev/null || cp -f -- "$A" "$C"; } || { echo "\(ServeRefusal.copy.line)"; exit 0; }
        echo "\(ServeRefusal.served)"
        """
    }

    /// A shell function `kedit AWK-PROGRAM [awk -v assignments…]`: rewrites the login user's
    /// authorized_keys through the awk program (it prints the lines to keep), safely against
    /// other writers: `flock` on a lock file next to it when flock exists, a `mktemp` file in
    /// `~/.ssh`, the file compared with the snapshot (`cmp`) just before the `mv` and the edit
    /// redone when it changed meanwhile (a line appended concurrently is not lost); a file with
    /// more than one hard link or a link is not touched (status 1).
    static let keysEditFunction = """
    kedit() {
      K="${HOME:-/nonexistent}/.ssh/authorized_keys"; [ -f "$K" ] || return 0
      [ ! -L "$K" ] && [ "$(stat -c %h -- "$K" 2>/dev/null)" = 1 ] || return 1
      p=$1; shift; i=0
      while [ "$i" -lt 5 ]; do
        i=$((i + 1))
        s=$(umask 077; mktemp -- "$K.cutover.XXXXXX") || return 1
        t=$(umask 077; mktemp -- "$K.cutover.XXXXXX") || { rm -f -- "$s"; return 1; }
        if cp -p -- "$K" "$s" && cp -p -- "$K" "$t" && awk "$@" "$p" "$s" > "$t"; then
          if cmp -s -- "$K" "$t"; then rm -f -- "$s" "$t"; return 0; fi
          if cmp -s -- "$s" "$K" && mv -f -- "$t" "$K"; then rm -f -- "$s"; return 0; fi
        fi
        rm -f -- "$s" "$t"
      done
      return 1
    }
    klocked() {
      if command -v flock >/dev/null 2>&1 && [ -d "${HOME:-/nonexistent}/.ssh" ]; then
        ( flock -w 30 9 || exit 1; "$@" ) 9>>"$HOME/.ssh/.authorized_keys.cutover-lock"
      else "$@"; fi
    }
    """

    /// Files in `~/.ssh` noting that Cutover created `~/.ssh` or its authorized_keys: the
    /// clean-up removes them again when they are empty.
    static let madeDirectory = ".cutover-relay-made-dir"
    static let madeKeys = ".cutover-relay-made-keys"

    /// The forced command of the environment check's line (the edge's key, for
    /// ``checkExpirySeconds`` at most, before its `cat` line): prints the environment the
    /// session got.
    static let checkCommand = "command=\"env\""
    static let checkExpirySeconds = 120

    /// Variables that bash, another login shell or the dynamic linker act on before a forced
    /// command runs, sent by the environment check; `canary` (a random name, also every value)
    /// finds an sshd that accepts names nobody could list. A session that got any of them, or
    /// the canary anywhere, is not confined. LANG and LC_* (Debian's `AcceptEnv`) are not sent.
    static let probeNames = ["SHELLOPTS", "BASHOPTS", "PS4", "BASH_ENV", "ENV", "ZDOTDIR", "IFS", "BASH_XTRACEFD", "PROMPT_COMMAND",
                             "LD_PRELOAD", "LD_LIBRARY_PATH", "LD_AUDIT", "GCONV_PATH", "LOCPATH", "HOSTALIASES"]

    /// The ssh client's `SetEnv=…` option of the environment check. PATH is sent with the
    /// canary in front of the usual directories (so `env` still runs where sshd would take it);
    /// bash rewrites SHELLOPTS, BASHOPTS and IFS (and PS4 for root) when it imports them, so those
    /// are found by name (``probeNamesPattern(canary:)``), the others by the canary in their value.
    static func probeEnvironment(canary: String) -> String {
        let values = ["\(canary)=\(canary)", "SHELLOPTS=xtrace", "BASHOPTS=extdebug", "PATH=/\(canary):/usr/bin:/bin"]
            + probeNames.filter { !["SHELLOPTS", "BASHOPTS"].contains($0) }.map { "\($0)=/\(canary)" }
            + ["\"BASH_FUNC_\(canary)%%=() { echo \(canary); }\""]
        return "SetEnv=" + values.joined(separator: " ")
    }

    /// An extended regular expression matching a line of `env` that sets a probed name.
    static func probeNamesPattern(canary: String) -> String {
        "^(" + ([canary, "BASH_FUNC_" + canary + "%%"] + probeNames).joined(separator: "|") + ")="
    }

    /// The awk program (with `-v b=BLOB`) that drops the lines whose key is the blob `b`.
    static let dropBlob = "{ for (i = 1; i <= NF; i++) if ($i == b) next; print }"
    /// The awk program (with `-v m=MARKER -v c=FORCED -v e=CHECK`) that drops this deploy's
    /// lines: the comment is exactly the marker and the line carries the deploy's forced
    /// command or the environment check's.
    static let dropDeploy = "{ if ($NF == m && (index($0, c) > 0 || index($0, \",\" e \" \") > 0)) next; print }"

    /// The awk program (``dropDeploy``'s variables) whose status is 0 when a file holds a line
    /// of this deploy, 1 when it holds none.
    static let findDeploy = "{ if ($NF == m && (index($0, c) > 0 || index($0, \",\" e \" \") > 0)) f = 1 } END { exit f ? 0 : 1 }"

    /// The base64 blob of an `ssh-ed25519 AAAA…` public key.
    static func blob(_ publicKey: String) -> String {
        String(publicKey.split(separator: " ").dropFirst().first ?? "")
    }

    /// On a source, for one receiver (stdin: ``input(key:source:)`` with the source itself):
    /// authorises `key` for the forced `cat` of the copy, then checks that sshd holds to it
    /// (see the type's notes); prints `serve=ok`, or `serve=no reason=…` with the line removed.
    func authorize(_ key: RelayKey, as source: RelaySource) -> String {
        let q = ShellQuote.quote
        let probe = "probe-" + String(UInt64.random(in: .min ... .max), radix: 36)
        let canary = "cv" + String(UInt64.random(in: .min ... .max), radix: 36) + String(UInt64.random(in: .min ... .max), radix: 36)
        return Self.keysEditFunction + "\n" + """
        umask 077
        C=\(q(copy)); b=\(q(Self.blob(key.publicKey))); D=
        trap 'rm -rf -- "$D"' EXIT
        trap 'exit 1' HUP INT TERM
        IFS= read -r k || { echo "\(ServeRefusal.noKey.line)"; exit 0; }
        IFS= read -r h || { echo "\(ServeRefusal.noKey.line)"; exit 0; }
        [ -f "$C" ] || { echo "\(ServeRefusal.copy.line)"; exit 0; }
        if [ -z "${HOME:-}" ] || [ ! -d "$HOME" ]; then echo "\(ServeRefusal.home.line)"; exit 0; fi
        S="$HOME/.ssh"; K="$S/authorized_keys"
        # What Cutover creates it notes, so the clean-up removes it again once empty.
        [ -d "$S" ] || { mkdir -m 700 -- "$S" 2>/dev/null && : > "$S/\(Self.madeDirectory)"; } || { echo "\(ServeRefusal.keysDirectory.line)"; exit 0; }
        if [ -L "$S" ] || [ -L "$K" ] || { [ -e "$K" ] && [ ! -f "$K" ]; }; then echo "\(ServeRefusal.keysFile.line)"; exit 0; fi
        if [ -e "$K" ] && [ "$(stat -c %h -- "$K" 2>/dev/null)" != 1 ]; then echo "\(ServeRefusal.keysLinks.line)"; exit 0; fi
        # Every line written must be removable again: the rewrite needs a new file in ~/.ssh.
        w=$(umask 077; mktemp -- "$K.cutover.XXXXXX" 2>/dev/null) || { echo "\(ServeRefusal.keysDirectoryReadOnly.line)"; exit 0; }
        rm -f -- "$w"
        [ -e "$K" ] || : > "$S/\(Self.madeKeys)"
        command -v ssh >/dev/null 2>&1 || { echo "\(ServeRefusal.noSSH.line)"; exit 0; }
        D=$(mktemp -d "${TMPDIR:-/tmp}/cutover-probe.XXXXXX") || { echo "\(ServeRefusal.probe.line)"; exit 0; }
        case $D in *[!A-Za-z0-9/._-]*) echo "\(ServeRefusal.probe.line)"; exit 0 ;; esac
        printf '%s' "$k" | base64 -d > "$D/key" 2>/dev/null || { echo "\(ServeRefusal.noKey.line)"; exit 0; }
        k=
        printf '%s\\n' "$h" > "$D/known_hosts"
        P=\(q(probe)); printf 'echo %s\\n' "$P" > "$D/benv"
        e=$(date -u -d "@$(( $(date +%s) + \(seconds + Self.expiryMarginSeconds) ))" +%Y%m%d%H%M%SZ) || { echo "\(ServeRefusal.date.line)"; exit 0; }
        f=$(date -u -d "@$(( $(date +%s) + \(Self.checkExpirySeconds) ))" +%Y%m%d%H%M%SZ) || { echo "\(ServeRefusal.date.line)"; exit 0; }
        # add EXPIRY FORCED-COMMAND: appends the edge key's line.
        add() {
          if [ -s "$K" ] && [ -n "$(tail -c 1 -- "$K")" ]; then printf '\\n' >> "$K"; fi
          printf 'restrict,expiry-time="%s",%s %s %s\\n' "$1" "$2" \(q(key.publicKey)) \(q(marker)) >> "$K"
        }
        t=; if command -v timeout >/dev/null 2>&1; then t="timeout --foreground 30"; fi
        # First the environment check: the key forced to `env`, asked for another command with
        # variables bash or the dynamic linker act on (and a random one) that no sshd but one
        # accepting them passes on. Only LANG and LC_* may come through.
        ( umask 077; klocked add "$f" \(q(Self.checkCommand)) ) || { echo "\(ServeRefusal.write.line)"; exit 0; }
        R=\(q(canary))
        $t ssh -F none -n -T -i "$D/key" -o IdentitiesOnly=yes -o IdentityAgent=none -o BatchMode=yes \\
            -o StrictHostKeyChecking=yes -o UserKnownHostsFile="$D/known_hosts" -o GlobalKnownHostsFile=/dev/null \\
            -o HostKeyAlias=\(RelaySource.hostKeyAlias) -o HostKeyAlgorithms=\(q(source.hostKeyAlgorithms)) -o CheckHostIP=no -o UpdateHostKeys=no \\
            -o ConnectTimeout=\(Self.connectSeconds) -o PasswordAuthentication=no -o KbdInteractiveAuthentication=no \\
            -o ClearAllForwardings=yes -o LogLevel=ERROR -o \(q(Self.probeEnvironment(canary: canary))) \\
            -p \(source.port) -l \(q(source.user)) -- \(q(source.address)) "echo $P" 2>/dev/null | head -c 1048576 > "$D/env"
        klocked kedit \(q(Self.dropBlob)) -v b="$b" || { echo "\(ServeRefusal.revoke.line)"; exit 0; }
        [ -s "$D/env" ] || { echo "\(ServeRefusal.probe.line)"; exit 0; }
        grep -q -x -F -e "SSH_ORIGINAL_COMMAND=echo $P" -- "$D/env" || { echo "\(ServeRefusal.unconfined.line)"; exit 0; }
        if grep -q -F -e "$R" -- "$D/env" || grep -q -E -e \(q(Self.probeNamesPattern(canary: canary))) -- "$D/env"; then
          echo "\(ServeRefusal.environment.line)"; exit 0
        fi
        # Then the edge's own line, checked as a receiver will use it.
        ( umask 077; klocked add "$e" \(q(forcedCommand)) ) || { echo "\(ServeRefusal.write.line)"; exit 0; }
        $t ssh -F none -n -T -i "$D/key" -o IdentitiesOnly=yes -o IdentityAgent=none -o BatchMode=yes \\
            -o StrictHostKeyChecking=yes -o UserKnownHostsFile="$D/known_hosts" -o GlobalKnownHostsFile=/dev/null \\
            -o HostKeyAlias=\(RelaySource.hostKeyAlias) -o HostKeyAlgorithms=\(q(source.hostKeyAlgorithms)) -o CheckHostIP=no -o UpdateHostKeys=no \\
            -o ConnectTimeout=\(Self.connectSeconds) -o PasswordAuthentication=no -o KbdInteractiveAuthentication=no \\
            -o ClearAllForwardings=yes -o LogLevel=ERROR -o "SetEnv=BASH_ENV=$D/benv ENV=$D/benv \\"BASH_FUNC_cat%%=() { echo $P; }\\"" \\
            -p \(source.port) -l \(q(source.user)) -- \(q(source.address)) "echo $P" 2>/dev/null | head -c 64 > "$D/got"
        head -c 64 -- "$C" > "$D/want"
        if cmp -s -- "$D/got" "$D/want"; then echo "\(ServeRefusal.served)"; exit 0; fi
        klocked kedit \(q(Self.dropBlob)) -v b="$b" || echo "\(ServeRefusal.revoke.line)"
        if [ -s "$D/got" ]; then echo "\(ServeRefusal.unconfined.line)"; else echo "\(ServeRefusal.probe.line)"; fi
        """
    }

    /// Removes one edge's authorized_keys line (its receiver is done); prints `revoke=ok`.
    func revoke(_ key: RelayKey) -> String {
        let q = ShellQuote.quote
        return Self.keysEditFunction + "\n" + """
        ( klocked kedit \(q(Self.dropBlob)) -v b=\(q(Self.blob(key.publicKey))) ) && echo "revoke=ok" || echo "revoke=failed"
        """
    }

    /// Fetches from `source` (stdin: ``input(key:source:)``), then serves on success when
    /// `thenServe`.
    func fetch(from source: RelaySource, thenServe: Bool) -> String {
        let q = ShellQuote.quote
        return """
        umask 077
        A=\(q(incoming)); I="${A%/*}"; T="$I/.relay-$$.part"; D=
        trap 'rm -rf -- "$D" "$T"' EXIT
        trap 'exit 1' HUP INT TERM
        mkdir -p -- "$I" || { echo "\(RelayFetchReason.mkdir.line)"; exit 0; }
        D=$(mktemp -d "$I/.relay-key.XXXXXX") || { echo "\(RelayFetchReason.mkdir.line)"; exit 0; }
        IFS= read -r k || { echo "\(RelayFetchReason.noKey.line)"; exit 0; }
        IFS= read -r h || { echo "\(RelayFetchReason.noKey.line)"; exit 0; }
        printf '%s' "$k" | base64 -d > "$D/key" 2>/dev/null || { echo "\(RelayFetchReason.key.line)"; exit 0; }
        k=
        printf '%s\\n' "$h" > "$D/known_hosts"
        command -v ssh >/dev/null 2>&1 || { echo "\(RelayFetchReason.noSSH.line)"; exit 0; }
        t=; if command -v timeout >/dev/null 2>&1; then t="timeout --foreground \(seconds)"; fi
        { $t ssh -F none -n -T -i "$D/key" -o IdentitiesOnly=yes -o IdentityAgent=none -o BatchMode=yes \\
            -o StrictHostKeyChecking=yes -o UserKnownHostsFile="$D/known_hosts" -o GlobalKnownHostsFile=/dev/null \\
            -o HostKeyAlias=\(RelaySource.hostKeyAlias) -o HostKeyAlgorithms=\(q(source.hostKeyAlgorithms)) -o CheckHostIP=no -o UpdateHostKeys=no -o ConnectTimeout=\(Self.connectSeconds) \\
            -o ServerAliveInterval=10 -o ServerAliveCountMax=3 -o PasswordAuthentication=no -o KbdInteractiveAuthentication=no \\
            -o ClearAllForwardings=yes -o LogLevel=ERROR -p \(source.port) -l \(q(source.user)) -- \(q(source.address)) 2>"$D/err"
          echo "$?" > "$D/rc"; } | { head -c \(size + 1) > "$T"; echo "$?" > "$D/wrc"; }
        # The host's own write failing (a full disk) is not the source's fault.
        [ "$(cat "$D/wrc" 2>/dev/null)" = 0 ] || { echo "\(RelayFetchReason.write.line)"; exit 0; }
        r=$(cat "$D/rc" 2>/dev/null); n=$(wc -c < "$T")
        case $r in ''|*[!0-9]*) r=255 ;; esac
        if [ "$n" -gt \(size) ]; then echo "\(RelayFetchReason.size.line)"; exit 0; fi
        if [ "$r" != 0 ]; then
          w=\(RelaySSHFailure.other.rawValue)
          if grep -q -i 'connection refused' "$D/err"; then w=\(RelaySSHFailure.refused.rawValue)
          elif [ "$r" = \(TimeoutExit.expired.rawValue) ] || grep -q -i 'timed out' "$D/err"; then w=\(RelaySSHFailure.timeout.rawValue)
          elif grep -q -i -e 'host key verification failed' -e 'remote host identification' "$D/err"; then w=\(RelaySSHFailure.hostKey.rawValue)
          elif grep -q -i 'permission denied' "$D/err"; then w=\(RelaySSHFailure.denied.rawValue)
          elif grep -q -i -e 'no route' -e 'unreachable' -e 'could not resolve' "$D/err"; then w=\(RelaySSHFailure.unreachable.rawValue)
          elif [ "$r" != 255 ]; then w=\(RelaySSHFailure.command.rawValue)
          fi
          echo "\(RelayFetchReason.ssh.line) exit=$r error=$w bytes=$n"; exit 0
        fi
        x=$(sha256sum < "$T"); x=${x%% *}
        if [ "$x" != \(q(sha256)) ]; then echo "\(RelayFetchReason.sha256.line) bytes=$n"; exit 0; fi
        mv -f -- "$T" "$A" || { echo "\(RelayFetchReason.move.line)"; exit 0; }
        rm -rf -- "$D"
        echo "\(RelayFetchStatus.ok.line) bytes=$n"
        """ + (thenServe ? "\n" + serve : "")
    }

    /// The fetch script's stdin: the private key (one line), then the source's known_hosts line.
    static func input(key: RelayKey, source: RelaySource) -> [UInt8] {
        Array((key.privateKeyLine + "\n" + source.knownHostsLine + "\n").utf8)
    }

    /// `cutover unlock`'s sweep of a deploy root whose lease it broke: no deploy of it runs, so
    /// every relay copy and key directory left in its `incoming` goes, and every authorized_keys
    /// line a relay of exactly this root wrote (a runner killed mid-relay left them): its comment
    /// starts with `cutover-relay-` and its forced command is a `cat` of a relay copy in this
    /// `incoming` (``sweptCommandPrefixes(incoming:)``), so another root whose path merely
    /// contains this one keeps its lines. Prints nothing; never changes the exit status of the
    /// script it ends.
    static func sweep(incoming: String) -> String {
        let q = ShellQuote.quote
        let prefixes = sweptCommandPrefixes(incoming: incoming)
        return """
        (
        \(keysEditFunction)
          I=\(q(incoming)); rm -rf -- "$I"/relay-* "$I"/.relay-key.* "$I"/.relay-*.part
          klocked kedit \(q(sweepProgram)) -v c=\(q(prefixes[0])) -v d=\(q(prefixes[1]))
        ) >/dev/null 2>&1 || true
        """
    }

    /// The awk program (with `-v c=PREFIX -v d=PREFIX`) of the sweep: drops a line whose last
    /// field (the comment) starts with `cutover-relay-` and whose options hold `,PREFIX`.
    static let sweepProgram = "{ if (index($NF, \"cutover-relay-\") == 1 && (index($0, \",\" c) > 0 || index($0, \",\" d) > 0)) next; print }"

    /// How a relay line's forced command starts for a copy in `incoming`: `command="cat -- `
    /// and the copy's path as ``forcedCommand`` quotes it up to `relay-`, both unquoted (a
    /// plain path) and single-quoted.
    static func sweptCommandPrefixes(incoming: String) -> [String] {
        let path = incoming + "/relay-"
        return ["command=\"cat -- " + path, "command=\"cat -- '" + path.replacing("'", with: "'\\''")]
    }

    /// Removes what this deploy's relay left on a host. Runs in a subshell of its own, so it
    /// can end any script without ending it.
    var cleanup: String {
        let q = ShellQuote.quote
        return """
        (
        \(Self.keysEditFunction)
          C=\(q(copy))
          rm -f -- "$C"; rm -rf -- "${C%/*}"/.relay-key.* "${C%/*}"/.relay-*.part
          S="${HOME:-/nonexistent}/.ssh"; K="$S/authorized_keys"
          # A file that cannot be rewritten (a link, a second hard link) is clean when it holds
          # no line of this deploy (the host never served: it refused to write one).
          if ! klocked kedit \(q(Self.dropDeploy)) -v m=\(q(marker)) -v c=\(q(forcedCommand)) -v e=\(q(Self.checkCommand)); then
            awk -v m=\(q(marker)) -v c=\(q(forcedCommand)) -v e=\(q(Self.checkCommand)) \(q(Self.findDeploy)) "$K" 2>/dev/null
            [ "$?" = 1 ] || { echo "cleanup=failed"; exit 0; }
          fi
          if [ -f "$S/\(Self.madeKeys)" ]; then
            if [ -f "$K" ] && [ ! -L "$K" ] && [ ! -s "$K" ]; then rm -f -- "$K"; fi
            rm -f -- "$S/\(Self.madeKeys)"
          fi
          if [ -f "$S/\(Self.madeDirectory)" ]; then
            rm -f -- "$S/\(Self.madeDirectory)" "$S/.authorized_keys.cutover-lock"; rmdir -- "$S" 2>/dev/null
          fi
          echo "cleanup=ok"
        )
        """
    }
}

/// What a receiving host's fetch came to.
enum RelayOutcome: Sendable, Hashable {
    /// The host holds the artifact in the incoming file, sha256 verified; `serves`: it also
    /// authorised the key, so others may fetch from it (else why not).
    case relayed(bytes: Int64, serves: Bool, whyNot: String?)
    /// It does not (and kept nothing): why, and whether the source is to blame (it refused, did
    /// not answer, sent other bytes) rather than the receiver (no ssh client, a full disk).
    case failed(String, sourceFault: Bool)

    static func parse(_ stdout: String) -> RelayOutcome {
        let fields = words(stdout, prefix: "relay=")
        let reason = fields["reason"].flatMap(RelayFetchReason.init(rawValue:))
        switch fields["relay"].flatMap(RelayFetchStatus.init(rawValue:)) {
        case .ok:
            guard let bytes = fields["bytes"].flatMap({ Int64($0) }) else { return .failed("the host's relay script said nothing", sourceFault: false) }
            let serve = ServeOutcome.parse(stdout)
            return .relayed(bytes: bytes, serves: serve == nil, whyNot: serve)
        case .mismatch:
            return .failed(reason == .size ? "the source sent more bytes than the artifact has" : "the source sent bytes whose sha256 is not the artifact's",
                           sourceFault: true)
        case .failed:
            switch reason {
            case .ssh:
                let exit = fields["exit"] ?? "?"
                let text = (fields["error"].flatMap(RelaySSHFailure.init(rawValue:)) ?? .other).text
                return .failed("\(text) (ssh exit \(exit))", sourceFault: true)
            case .noSSH: return .failed("the host has no ssh client", sourceFault: false)
            case .mkdir: return .failed("cannot create the incoming directory", sourceFault: false)
            case .noKey, .key: return .failed("the host did not receive the relay key", sourceFault: false)
            case .move: return .failed("cannot move the artifact into place", sourceFault: false)
            case .write: return .failed("cannot write the artifact on the host (a full disk?)", sourceFault: false)
            case .size, .sha256, nil: return .failed("the relay failed", sourceFault: false)
            }
        case nil:
            return .failed("the host's relay script said nothing", sourceFault: false)
        }
    }

    /// `key=value` words of the last line starting with `prefix`.
    static func words(_ stdout: String, prefix: String) -> [String: String] {
        guard let line = stdout.split(separator: "\n").last(where: { $0.hasPrefix(prefix) }) else { return [:] }
        var fields: [String: String] = [:]
        for word in line.split(separator: " ") {
            guard let eq = word.firstIndex(of: "=") else { continue }
            fields[String(word[..<eq])] = String(word[word.index(after: eq)...])
        }
        return fields
    }
}

/// What a ``RelayScript/serve`` came to: nil when the host serves, else why not.
enum ServeOutcome {
    static func parse(_ stdout: String) -> String? {
        let fields = RelayOutcome.words(stdout, prefix: "serve=")
        guard let serve = fields["serve"] else { return "its serve step said nothing" }
        guard serve != ServeRefusal.servedWord else { return nil }
        return fields["reason"].flatMap(ServeRefusal.init(rawValue:))?.text ?? "it cannot serve"
    }
}
