import Foundation
import Release
import Transport

/// The shell scripts Cutover runs on hosts, one per step. Every value is quoted; ids and
/// names are validated before they get here. Scripts need only POSIX sh, coreutils, tar and
/// findutils' `find` (its `-perm /MODE`, a GNU form, strips modes in ``extract(release:archive:sha256:gzip:shared:preserveModes:archiveSHA256:listing:listingOnStdin:unpack:leftovers:)``).
struct RemoteScripts: Sendable {
    let layout: HostLayout
    let deploy: String

    private var q: (String) -> String { ShellQuote.quote }
    /// A release id, quoted like any other value.
    private func q(_ id: ReleaseID) -> String { ShellQuote.quote(id.description) }

    /// Prints the deploy root's state in sections (``ProbeScript``). Read-only.
    var probe: ProbeScript { ProbeScript(layout: layout) }

    /// Takes the deploy lease unless another live deploy holds it. Exit 75 with the holder's
    /// lock printed when held. A `mkdir` mutex makes read-check-write atomic between racers.
    /// `staleToken`: the fencing token of a holder found dead (``LeaseHolder/isDeadOnThisMachine``),
    /// whose unexpired lease may be taken over while the lock still carries that token; any other
    /// holder (a `resume` of the same deploy id that took it meanwhile, say) still refuses.
    /// `artifact`, when given, is recorded in the lock (`release=`, `sha256=`, `artifact=`) for
    /// `resume` to check or find.
    /// A pause marker or answer left by an earlier holder is cleared.
    ///
    /// First the deploy root is checked, and what is missing created (``DeployRootCheck``):
    /// exit 78 when it is not the login user's alone. The fencing token and the lock are
    /// written to new files in `.cutover` (the login user's alone, just checked) renamed into
    /// place. Builtins but for `mkdir`/`rmdir` (the mutex), `mv`, the check's `stat` (and `date`
    /// where the shell is not bash 5, whose `EPOCHSECONDS` is the clock: another shell would take it
    /// from the environment).
    func acquireLease(owner: String, ttlSeconds: Int, staleToken: LeaseToken? = nil, artifact: LeaseArtifact? = nil) -> String {
        layout.preamble + """
        set -e
        \(DeployRootCheck.prepare)
        case ${BASH_VERSION:-} in [5-9]*) now=$EPOCHSECONDS ;; *) now=$(date +%s) ;; esac
        i=0
        until mkdir "$M/lock.mutex" 2>/dev/null; do
          i=$((i+1))
          if [ $i -gt 100 ]; then echo "lock mutex stuck: $M/lock.mutex"; \(RemoteExit.leaseMutexStuck.shell); fi
          sleep 0.05
        done
        trap 'rmdir "$M/lock.mutex" 2>/dev/null' EXIT
        if [ -f "$M/lock" ]; then
          holder= expires= held=
          \(Self.readLockFields)
          if [ "$holder" != \(q(deploy)) ] && [ "$held" != \(q(staleToken?.description ?? "-")) ] && [ "${expires:-0}" -gt "$now" ]; then \(Self.printLock); \(RemoteExit.leaseHeld.shell); fi
          if [ "$holder" != \(q(deploy)) ] && [ -n "$holder" ]; then \(JournalEntry.appendCommand(deploy: deploy, step: .leaseTakeover, shellFields: ["holder": "$holder"])); fi
        fi
        \(Self.removeAnswers)
        fence=
        if [ -f "$M/fence" ]; then read -r fence < "$M/fence" || true; fi
        case "$fence" in *[!0-9]*) echo "$M/fence holds no fencing token: $fence" >&2; \(RemoteExit.leaseMutexStuck.shell) ;; esac
        token=$(( ${fence:-0} + 1 ))
        t="$M/.fence.$$"; echo "$token" > "$t"; mv -f "$t" "$M/fence"
        t="$M/.lock.$$"
        printf 'owner=%s\\ndeploy=%s\\nexpires=%s\\ntoken=%s\\n' \(q(owner)) \(q(deploy)) $((now + \(ttlSeconds))) "$token" > "$t"
        \((artifact?.lockLines ?? []).map { line in "printf '%s=%s\\n' \(q(line.key)) \(q(line.value)) >> \"$t\"" }.joined(separator: "\n"))
        mv -f "$t" "$M/lock"
        echo "token=$token"
        """
    }

    /// Reads the lock file's `deploy=`, `expires=` and `token=` lines into `$holder`,
    /// `$expires` and `$held` with shell builtins (the last of each wins).
    private static let readLockFields = """
    while IFS= read -r l || [ -n "$l" ]; do case $l in deploy=*) holder=${l#deploy=} ;; expires=*) expires=${l#expires=} ;; token=*) held=${l#token=} ;; esac; done < "$M/lock"
    """

    /// Prints the lock file (builtins only).
    private static let printLock = """
    while IFS= read -r l || [ -n "$l" ]; do printf '%s\\n' "$l"; done < "$M/lock"
    """

    /// Removes a pause marker, an answer or an abort request, when there is one.
    private static let removeAnswers = """
    for f in paused decision abort; do if [ -e "$M/$f" ] || [ -L "$M/$f" ]; then rm -f "$M/paused" "$M/decision" "$M/abort"; break; fi; done
    """

    /// Prefix of every mutating step: refuses to write unless our lease is still the lock
    /// (fencing token), and extends it. Exit 76 (``RemoteExit/leaseLost``) when fenced off;
    /// exit 78 when the deploy root is no longer the login user's alone
    /// (``DeployRootCheck/verify``).
    ///
    /// The lease is extended (the lock rewritten, then renamed over the old one) only once
    /// a tenth of its life has passed since it was last written: a run's steps in quick
    /// succession read it and go on. Builtins but for the check's `stat` (and `date` where the
    /// shell has no `EPOCHSECONDS`).
    func fenced(token: LeaseToken, ttlSeconds: Int, _ body: String) -> String {
        layout.preamble + DeployRootCheck.verify + """
        co_mine=
        if [ -f "$M/lock" ]; then while IFS= read -r l || [ -n "$l" ]; do if [ "$l" = \(q("token=" + token.description)) ]; then co_mine=1; fi; done < "$M/lock"; fi
        [ -n "$co_mine" ] || { echo "lease lost: another deploy holds $M/lock" >&2; \(RemoteExit.leaseLost.shell); }
        case ${BASH_VERSION:-} in [5-9]*) co_now=$EPOCHSECONDS ;; *) co_now=$(date +%s) ;; esac; co_exp=
        while IFS= read -r l || [ -n "$l" ]; do case $l in expires=*) co_exp=${l#expires=} ;; esac; done < "$M/lock"
        case "$co_exp" in ''|*[!0-9]*) co_exp=0 ;; esac
        if [ $(( co_exp - co_now )) -lt \(ttlSeconds - max(1, ttlSeconds / 10)) ]; then
          co_t="$M/.lock.$$"
          { while IFS= read -r l || [ -n "$l" ]; do case $l in expires=*) printf 'expires=%s\\n' $(( co_now + \(ttlSeconds) )) ;; *) printf '%s\\n' "$l" ;; esac; done < "$M/lock"; } > "$co_t" 2>/dev/null \
            && mv -f "$co_t" "$M/lock" 2>/dev/null || rm -f "$co_t" 2>/dev/null || true
        fi
        \(body)
        """
    }

    /// Releases the lease if it is still ours.
    func releaseLease(token: LeaseToken) -> String {
        layout.preamble + """
        co_mine=
        if [ -f "$M/lock" ]; then while IFS= read -r l || [ -n "$l" ]; do if [ "$l" = \(q("token=" + token.description)) ]; then co_mine=1; fi; done < "$M/lock"; fi
        if [ -n "$co_mine" ]; then rm -f "$M/paused" "$M/decision" "$M/abort" "$M/lock"; fi
        true
        """
    }

    /// The lock file, if any. Read-only.
    var readLock: String {
        layout.preamble + "cat \"$M/lock\" 2>/dev/null || true"
    }

    /// Prints `@current=<release>` (empty when there is none). Read-only.
    var readCurrent: String {
        layout.preamble + "c=$(readlink \"$R/current\" 2>/dev/null || true); echo \"@current=${c##*/}\""
    }

    /// Breaks whatever lease is held, and says so in the journal.
    func breakLease(by who: String) -> String {
        layout.preamble + DeployRootCheck.verify + """
        if [ -f "$M/lock" ]; then
          holder=$(sed -n 's/^deploy=//p' "$M/lock")
          rm -f "$M/lock"; rmdir "$M/lock.mutex" 2>/dev/null || true
          \(JournalEntry.appendCommand(deploy: deploy, step: .unlock, fields: ["by": who], shellFields: ["holder": "$holder"]))
          echo "broke the lease of $holder"
        else
          echo "no lease held"
        fi
        """
    }

    /// The answer to a paused deploy, if any (`action=`, `deploy=`, `by=` lines). Read-only.
    var readDecision: String {
        layout.preamble + "cat \"$M/decision\" 2>/dev/null || true"
    }

    /// The abort request left by `cutover abort`, if any (`deploy=`, `by=` lines). Read-only.
    var readAbort: String {
        layout.preamble + "cat \"$M/abort\" 2>/dev/null || true"
    }

    /// Asks the deploy that holds the lock to abort, whatever it is doing (running, baking,
    /// paused): it reads the request within about a second and rolls back what it switched.
    /// Prints the deploy's id when the request is written; ``RemoteExit/nothingToAnswer`` when
    /// no deploy holds the lock; any other status is a failure (the request was not written).
    func writeAbort(by who: String) -> String {
        layout.preamble + DeployRootCheck.verify + """
        d=$(sed -n 's/^deploy=//p' "$M/lock" 2>/dev/null)
        [ -n "$d" ] || { echo "no deploy holds the lock"; \(RemoteExit.nothingToAnswer.shell); }
        t=$(mktemp "$M/.abort.XXXXXX") || exit 1
        printf 'deploy=%s\\nby=%s\\n' "$d" \(q(who)) > "$t" || { rm -f "$t"; exit 1; }
        mv -f "$t" "$M/abort" || { rm -f "$t"; exit 1; }
        echo "$d"
        """
    }

    /// Says the deploy holding the lease waits at a pause (run fenced): only then do
    /// `promote` and `abort` write an answer, so one sent early cannot approve a pause ahead.
    var markPaused: String {
        "rm -f \"$M/decision\"; t=$(mktemp \"$M/.paused.XXXXXX\") && printf 'deploy=%s\\n' \(q(deploy)) > \"$t\" && mv -f \"$t\" \"$M/paused\""
    }

    /// The pause is over: answers are refused again (run fenced).
    var clearPaused: String {
        "rm -f \"$M/paused\" \"$M/decision\""
    }

    /// Answers the deploy that holds the lock (promote or abort) when it waits at a pause and
    /// prints its id; ``RemoteExit/nothingToAnswer`` when none runs or it is not paused; any
    /// other status is a failure (no answer was written).
    func writeDecision(_ action: PauseAction, by who: String) -> String {
        layout.preamble + DeployRootCheck.verify + """
        d=$(sed -n 's/^deploy=//p' "$M/lock" 2>/dev/null)
        [ -n "$d" ] || { echo "no deploy holds the lock"; \(RemoteExit.nothingToAnswer.shell); }
        p=$(sed -n 's/^deploy=//p' "$M/paused" 2>/dev/null)
        [ "$p" = "$d" ] || { echo "$d is not waiting at a pause: nothing to answer"; \(RemoteExit.nothingToAnswer.shell); }
        t=$(mktemp "$M/.decision.XXXXXX") || exit 1
        printf 'action=%s\\ndeploy=%s\\nby=%s\\n' \(q(action.rawValue)) "$d" \(q(who)) > "$t" || { rm -f "$t"; exit 1; }
        mv -f "$t" "$M/decision" || { rm -f "$t"; exit 1; }
        echo "$d"
        """
    }

    /// Extracts an uploaded archive into a staging directory, checks on the host that no link
    /// in it resolves outside it, strips set-id bits and group/other write (unless the playbook
    /// says `artifact_modes: preserve`), links shared paths, then renames it into
    /// `releases/<id>`: a release directory only ever appears complete, and checked. Its
    /// manifest, `.cutover/releases/<id>.sha256`, records the artifact it came from.
    ///
    /// A `releases/<id>` already there is used only when its manifest names this artifact
    /// (`present`). Any other (the name is predictable: version and digest prefix) is moved
    /// aside to `releases/.untrusted-<id>.XXXXXX/` once the new one is ready, and journaled
    /// (`release-untrusted`); the new one takes its name right after.
    ///
    /// Exit 77 (``RemoteExit/linkEscape``) when a link leaves the release: the staging dir is removed.
    ///
    /// `tar` reads the very bytes the upload verified: `.cutover/incoming` is the login user's
    /// alone (``DeployRootCheck``, checked again by the fenced step this runs in), so no other
    /// user can swap the file in between, and the script hashes it again just before `tar`
    /// (it is still in the page cache): a file that changed anyway, or is no longer a plain
    /// file, is removed and not extracted, exit 79 (``RemoteExit/uploadChanged``).
    ///
    /// `listing`: a file listing (``Release/ArtifactManifest/checksumText``) kept as
    /// `.cutover/releases/<id>.files` beside the release, for a later delta push; with
    /// `listingOnStdin` the script first writes it there from its stdin. `unpack`, when
    /// given, makes `$S` and builds it from `$A` in place of `mkdir` and `tar -x`
    /// (``deltaUnpack(from:release:directArguments:)``); `archiveSHA256` is then the uploaded
    /// file's sha256, `sha256` still the artifact's. `leftovers`: shell words of the unpack's
    /// own work files, removed with the archive at the end and with `$S` when a link refuses it.
    func extract(release: ReleaseID, archive: String, sha256: String, gzip: Bool, shared: [String], preserveModes: Bool = false,
                 archiveSHA256: String? = nil, listing: String? = nil, listingOnStdin: Bool = false, unpack: String? = nil,
                 leftovers: String? = nil) -> String {
        let id = release.description
        // What goes with the staging directory when a link refuses the release, and with the
        // archive at the end: the unpack's own work files.
        let refuse = "rm -rf \"$S\"" + (leftovers.map { " " + $0 } ?? "")
        var links = ""
        for path in shared {
            // A shared path whose parent inside the release is a symlink (or is one itself) would
            // make mv/rm/ln act outside the release: refuse it rather than follow it.
            links += """
            p=\(q(path)); d=$(dirname "$p")
            x="$S"; rest="$d"
            while [ "$rest" != . ]; do
              x="$x/${rest%%/*}"
              if [ -L "$x" ]; then echo "shared path $p: ${x#"$S"/} is a symlink in the release" >&2; \(refuse); \(RemoteExit.linkEscape.shell); fi
              case "$rest" in */*) rest=${rest#*/} ;; *) rest=. ;; esac
            done
            if [ -L "$S/$p" ] && [ ! -e "$R/shared/$p" ]; then echo "shared path $p is a symlink in the release" >&2; \(refuse); \(RemoteExit.linkEscape.shell); fi
            if [ ! -e "$R/shared/$p" ]; then
              mkdir -p "$R/shared/$d"
              if [ -e "$S/$p" ]; then mv "$S/$p" "$R/shared/$p"; else mkdir -p "$R/shared/$p"; fi
            fi
            rm -rf "$S/$p"; mkdir -p "$S/$d"; ln -s "$R/shared/$p" "$S/$p"

            """
        }
        // One walk for files and directories; `chmod` starts only when one needs it.
        let modes = preserveModes ? "" : """
        find "$S" \\( -type f -perm /7022 -exec chmod go-w,ug-s,-t {} + \\) -o \\( -type d -perm /6022 -exec chmod go-w,ug-s {} + \\)

        """
        return """
        set -e
        A=\(q(archive)); D="$R/releases/"\(q(id)); F="$M/releases/"\(q(id)).sha256; L=\(listing.map(q) ?? "")
        \(listingOnStdin ? "if [ -n \"$L\" ]; then rm -f \"$L\"; cat > \"$L\"; fi\n" : "")        if [ -d "$D" ] && [ ! -L "$D" ] && [ -f "$F" ] && [ ! -L "$F" ] && [ "$(cat "$F")" = \(q(sha256)) ]; then rm -f "$A" ${L:+"$L"}; echo present; exit 0; fi
        if [ -L "$A" ] || [ ! -f "$A" ]; then echo "$A is not the plain file the upload left" >&2; \(RemoteExit.uploadChanged.shell); fi
        h=$(sha256sum < "$A"); h=${h%% *}
        if [ "$h" != \(q(archiveSHA256 ?? sha256)) ]; then
          rm -f "$A"; echo "$A changed since its upload was verified (sha256 $h, verified "\(q(archiveSHA256 ?? sha256))"): not extracted" >&2; \(RemoteExit.uploadChanged.shell)
        fi
        S="$R/releases/.stage-"\(q(id))
        \(unpack ?? "if [ -e \"$S\" ] || [ -L \"$S\" ]; then rm -rf \"$S\"; fi; mkdir -p \"$S\"\ntar -x\(gzip ? "z" : "")f \"$A\" -C \"$S\" --no-same-owner")
        B=$(cd "$S" && pwd -P)
        \(LinkEscapeCheck.definition)co_links || { \(refuse); \(RemoteExit.linkEscape.shell); }
        \(modes)\(links)if [ -d "$D" ] && [ ! -L "$D" ] && (for u in "$R/current" "$R/slots/blue" "$R/slots/green"; do l=$(readlink "$u" 2>/dev/null || true); [ "$l" = "releases/"\(q(id)) ] || [ "$l" = "../releases/"\(q(id)) ] && exit 0; done; exit 1); then
          # Without a manifest but serving (`current` or a slot points at it: a release extracted
          # before manifests existed): replacing it would leave that link dangling for a moment,
          # so it is kept and recorded; only a release nothing points at is set aside.
          rm -rf "$S"
        elif [ -e "$D" ] || [ -L "$D" ]; then
          X=$(mktemp -d "$R/releases/.untrusted-"\(q(id)).XXXXXX)
          mv -T "$D" "$X/"\(q(id))
          \(JournalEntry.appendCommand(deploy: deploy, step: .releaseUntrusted, fields: ["release": id], shellFields: ["aside": "${X##*/}"]))
        fi
        [ ! -d "$S" ] || mv -T "$S" "$D"
        [ -d "$M/releases" ] || (umask 077 && mkdir -p "$M/releases")
        t="$M/releases/.sha256.$$"; echo \(q(sha256)) > "$t"; mv -f "$t" "$F"
        if [ -n "$L" ] && [ -f "$L" ] && [ ! -L "$L" ]; then mv -f "$L" "$M/releases/"\(q(id)).files; else rm -f "$M/releases/"\(q(id)).files; fi
        \(leftovers.map { "rm -rf \"$A\" " + $0 } ?? "rm -f \"$A\"")
        \(JournalEntry.appendCommand(deploy: deploy, step: .extract, fields: ["release": id]))
        echo extracted
        """
    }

    /// Points `current` at a release atomically (new symlink, then rename over the old one).
    func switchCurrent(to id: ReleaseID, step: JournalStep = .switch) -> String {
        """
        set -e
        test -d "$R/releases/"\(q(id)) || { printf 'release %s is not on this host\\n' \(q(id)) >&2; exit 1; }
        old=$(readlink "$R/current" 2>/dev/null || true); old=${old##*/}
        if [ "$old" != \(q(id)) ]; then
          ln -sfT "releases/"\(q(id)) "$R/.current.tmp"
          mv -fT "$R/.current.tmp" "$R/current"
          \(JournalEntry.appendCommand(deploy: deploy, step: step, fields: ["to": id.description], shellFields: ["from": "$old"]))
        fi
        echo "from=$old"
        """
    }

    /// Marks, in a combined script's output, that the switch is done and the hook starts.
    static let hookMarker = "@hook-started"

    /// The switch and then, in the same round trip, a hook (`activate` or `on_rollback`).
    func switchThenHook(to id: ReleaseID, step: JournalStep = .switch, hook: String?, environment: [String: String]) -> String {
        var script = switchCurrent(to: id, step: step)
        if let hook {
            script += "\necho \(Self.hookMarker)\n" + self.hook(hook, in: id, environment: environment)
        }
        return script
    }

    // MARK: Blue/green

    /// Points the idle `slot` at a release and starts it there (the `start` hook), in one round
    /// trip. Traffic does not move. The hook's output follows ``hookMarker``.
    func stage(_ slot: Slot, release id: ReleaseID, start: String, environment: [String: String]) -> String {
        """
        set -e
        test -d "$R/releases/"\(q(id)) || { printf 'release %s is not on this host\\n' \(q(id)) >&2; exit 1; }
        slot=\(q(slot.rawValue))
        mkdir -p "$R/slots"
        ln -sfT "../releases/"\(q(id)) "$R/slots/.$slot.tmp"
        mv -fT "$R/slots/.$slot.tmp" "$R/slots/$slot"
        \(JournalEntry.appendCommand(deploy: deploy, step: .stage, fields: ["slot": slot.rawValue, "release": id.description]))
        echo \(Self.hookMarker)
        """ + "\n" + hook(start, in: id, environment: environment)
    }

    /// Moves traffic to `slot` (the `switch` hook), then points `live` at it and `current` at its
    /// release. When the hook fails nothing is recorded as switched: a rollback runs the hook
    /// for the old slot again. Prints `from=<release>` like ``switchCurrent(to:step:)``.
    func switchSlot(to slot: Slot, release id: ReleaseID, step: JournalStep = .switch, hook command: String, environment: [String: String]) -> String {
        """
        set -e
        slot=\(q(slot.rawValue))
        t=$(readlink "$R/slots/$slot" 2>/dev/null) || { printf 'slot %s holds no release on this host\\n' "$slot" >&2; exit 1; }
        [ "${t##*/}" = \(q(id)) ] || { printf 'slot %s holds %s, not %s\\n' "$slot" "${t##*/}" \(q(id)) >&2; exit 1; }
        ( \(hook(command, in: id, environment: environment)) )
        old=$(readlink "$R/current" 2>/dev/null || true); old=${old##*/}
        ln -sfT "slots/$slot" "$R/.live.tmp"
        mv -fT "$R/.live.tmp" "$R/live"
        ln -sfT "releases/"\(q(id)) "$R/.current.tmp"
        mv -fT "$R/.current.tmp" "$R/current"
        \(JournalEntry.appendCommand(deploy: deploy, step: step, fields: ["to": id.description, "slot": slot.rawValue], shellFields: ["from": "$old"]))
        echo "from=$old"
        """
    }

    /// Runs a hook in a release directory with the `CUTOVER_*` environment and the host's secrets.
    /// The secrets are exported for the hook alone (``RemoteSecret/exporting``), never for the
    /// steps of the script around it.
    /// The variables are exported to the hook's process (assignments before the function that
    /// starts it); a plain command starts without `sh` (``DirectCommand``).
    func hook(_ command: String, in id: ReleaseID, environment: [String: String]) -> String {
        DirectCommand.probe + "cd \"$R/releases/\"\(q(id)) && { " + Self.launch(command, environment: environment) + "; }"
    }

    /// `NAME='value' …`, sorted by name: the variables a hook or check gets, as assignments
    /// before the command that starts it.
    static func assignments(_ environment: [String: String]) -> String {
        environment.sorted { $0.key < $1.key }.map { "\($0.key)=\(ShellQuote.quote($0.value))" }.joined(separator: " ")
    }

    /// Starts `command` with the host's secrets and `environment`: its program itself when it
    /// is plain and `co_direct` finds it runnable so, else `sh -c`. Needs ``DirectCommand/probe``
    /// defined before.
    static func launch(_ command: String, environment: [String: String], through wrapper: String = "") -> String {
        let viaShell = exporting(environment, wrapper + "sh -c " + ShellQuote.quote(command))
        guard let direct = DirectCommand(command) else { return viaShell }
        return "if co_direct \(ShellQuote.quote(direct.program)); then \(exporting(environment, wrapper + direct.text)); else \(viaShell); fi"
    }

    /// `cutover_with_secrets COMMAND` with `environment` exported to it: under bash as
    /// assignments before the function (its subshell exports them to the program it starts);
    /// in another shell through `env` (ksh93 keeps assignments before a function unexported).
    static func exporting(_ environment: [String: String], _ command: String) -> String {
        guard !environment.isEmpty else { return "\(RemoteSecret.exporting) \(command)" }
        let assignments = Self.assignments(environment)
        return "if [ -n \"${BASH_VERSION:-}\" ]; then \(assignments) \(RemoteSecret.exporting) \(command); "
            + "else \(RemoteSecret.exporting) env \(assignments) \(command); fi"
    }

    /// Runs a check command (health, smoke, KPI, rollback check) in the current release, with the
    /// host's secrets and `environment` (the `CUTOVER_*` values its step's hooks get).
    func check(_ command: String, environment: [String: String] = [:]) -> String {
        layout.preamble + DirectCommand.probe + "cd \"$R/current\" && { " + Self.launch(command, environment: environment) + "; }"
    }

    /// Runs a health-check command in the release a blue/green slot holds, with the host's secrets
    /// and `environment`.
    func check(_ command: String, inSlot slot: Slot, environment: [String: String] = [:]) -> String {
        layout.preamble + DirectCommand.probe + "cd \"$R/slots/\"\(q(slot.rawValue)) && { " + Self.launch(command, environment: environment) + "; }"
    }

    /// Removes the named releases (``ReleaseRetention`` chose them), their manifests and any
    /// staging leftovers, and what a relay whose clean-up failed left in `incoming` (relay
    /// copies, key directories, partial fetches: under the lease, no relay of this root runs)
    /// or a pull whose script was killed (its downloader may have written on: the size cap
    /// bounds it, this removes it).
    /// Releases moved aside as untrusted stay for whoever looks into them.
    func prune(removing releases: [ReleaseID]) -> String {
        let names = releases.map(q).joined(separator: " ")
        let manifests = releases.map { "\"$M/releases/\"\(q($0)).sha256 \"$M/releases/\"\(q($0)).files" }.joined(separator: " ")
        return """
        if cd "$R/releases"; then
          \(releases.isEmpty ? ":" : "rm -rf -- \(names); rm -f -- \(manifests)")
          for co_g in .stage-*; do if [ -e "$co_g" ] || [ -L "$co_g" ]; then rm -rf -- .stage-* 2>/dev/null || true; fi; break; done
        fi
        for co_g in "$M/incoming"/relay-* "$M/incoming"/.relay-key.* "$M/incoming"/.relay-*.part "$M/incoming"/.pull-*.part; do
          if [ -e "$co_g" ] || [ -L "$co_g" ]; then rm -rf -- "$co_g" 2>/dev/null || true; fi
        done
        """
    }
}
