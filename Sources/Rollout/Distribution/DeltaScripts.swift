import Release
import Transport

/// The host-side steps of a delta push. Values are quoted; release ids arrive as ``ReleaseID``s
/// (validated when made). Needs only POSIX sh, coreutils (`cp`, `sha256sum`), findutils' `find`
/// (its `-printf`, a GNU form) and tar; `openssl` when the host has it.
extension RemoteScripts {
    /// Prints the file listing kept beside `release` (`.cutover/releases/<id>.files`), nothing
    /// when there is none or it is not a plain file. Read-only.
    func readListing(of release: ReleaseID) -> String {
        layout.preamble + """
        F="$M/releases/"\(ShellQuote.quote(release.description)).files
        if [ -f "$F" ] && [ ! -L "$F" ]; then cat "$F"; fi
        """
    }

    /// The most bytes of arguments (``Release/DeltaPlan/longestArgumentList``) for which
    /// ``deltaUnpack(from:release:directArguments:)`` may hand a whole list to one command under
    /// bash: well within Linux's smallest `ARG_MAX` (128 KiB with the environment).
    static let directArgumentBytes = 64 << 10

    /// What the delta's extract removes with the uploaded bundle (its own unpacked lists).
    static let deltaLeftovers = "\"$P\""

    /// Builds the staging directory `$S` from the delta bundle `$A` and the older release `old`,
    /// then proves it equal to the artifact: the whole tree's shape, types and link targets
    /// (`tree`), then every file's sha256 (`dgst`, hashed by `openssl dgst` when the host has it,
    /// else `sums`, by `sha256sum -c`). Runs inside ``extract(release:archive:sha256:gzip:shared:preserveModes:archiveSHA256:listing:listingOnStdin:unpack:leftovers:)``
    /// in place of its `mkdir` and `tar -x`, with ``deltaLeftovers``.
    ///
    /// Unchanged files are copied (`cp --reflink=auto`: copy-on-write where the file system
    /// shares extents, a plain copy elsewhere), never hard-linked: a release must not change
    /// when another one does. Paths come from the bundle the runner built from the artifact;
    /// the older release is only read. The tree is checked before `chmod` and `touch` touch the
    /// copies, so a link planted in the older release (copied as a link) cannot lead a write
    /// outside. Modes follow tar's rule: the archive's bits, less the umask unless root.
    ///
    /// Few processes, whatever the number of files: one `mkdir` for `$S` and the lists' `$P`,
    /// one `tar` for the bundle and one for the changed files, one `cp` for all unchanged ones,
    /// one `mkdir` for the directories, one `chmod` per mode and one `touch` per modification
    /// time, one `find` and `sort` for the tree, one `openssl` for every file. That is under
    /// bash 5 with `directArguments` (the runner found every list short enough for one command
    /// line): the lists are read with `mapfile`, the older release's directories checked with
    /// `test`, the outputs compared in the shell. Otherwise each list goes through `xargs`,
    /// the directories through one `sh`, and `cmp` compares (POSIX sh, the same checks).
    ///
    /// On any failure: `$S`, `$P` and the bundle are removed, exit ``RemoteExit/deltaMismatch``.
    /// On success the listing kept for the next delta is `$P/sums` (`$L`), and `$P` goes with
    /// the bundle at the end of the extract.
    func deltaUnpack(from old: ReleaseID, release id: ReleaseID, directArguments: Bool = false) -> String {
        """
        O="$R/releases/"\(ShellQuote.quote(old.description)); P="$M/incoming/.delta-"\(ShellQuote.quote(id.description))
        if [ -e "$S" ] || [ -L "$S" ] || [ -e "$P" ] || [ -L "$P" ]; then rm -rf "$S" "$P"; fi
        mkdir -p "$S" "$P"
        \(directArguments ? Self.deltaHelpersUnderBash : Self.deltaHelpers)
        # Run as a command of its own: `set -e` is ignored inside an `if`, `!`, `&&` or `||` test.
        set +e
        (
          set -e
          if [ ! -d "$O" ] || [ -L "$O" ]; then echo "$O is not a release directory"; exit 1; fi
          tar -xf "$A" -C "$P" --no-same-owner
          cd "$O"
          # Every directory of the artifact that the older release has must be a directory there,
          # not a link: `cp -P` follows a link in the middle of a path, and would read elsewhere.
          # The same step makes them in the staging directory.
          co_dirs
          co_each "$P/copy" cp -R -P --reflink=auto --parents -t "$S" --
          cd "$S"
          tar -xf "$P/changes.tar" --no-same-owner
          # Every path's type and link target as the artifact has them: copies are plain files.
          co_same "$P/tree" co_tree || { echo "the tree differs from the artifact's"; exit 1; }
          r=; [ -z "${BASH_VERSION:-}" ] || r=${EUID:-}; [ -n "$r" ] || r=$(id -u)
          u=; [ "$r" = 0 ] || u=$(umask)
          for f in "$P"/mode.*; do
            [ -f "$f" ] || continue
            m=${f##*.}
            if [ "$r" != 0 ]; then case ${BASH_VERSION:-} in [5-9]*) printf -v m '%o' $(( $m & ~0$u )) ;; *) m=$(printf '%o' $(( $m & ~0$u ))) ;; esac; fi
            co_each "$f" chmod "$m" --
          done
          for f in "$P"/mtime.*; do [ -f "$f" ] || continue; co_each "$f" touch -h -m -d "@${f##*.}" --; done
          # SHA-256 of every file: OpenSSL's (SHA-NI, several times faster) where the host has it.
          if command -v openssl >/dev/null 2>&1; then
            co_same "$P/dgst" co_each "$P/files" openssl dgst -sha256 -r -- || { echo "a file's sha256 differs from the artifact's"; exit 1; }
          else
            sha256sum --quiet --strict -c "$P/sums"
          fi
        ) > "$P/log" 2>&1
        built=$?
        set -e
        if [ "$built" != 0 ]; then
          echo "delta from "\(ShellQuote.quote(old.description))" failed: $(tail -n 3 "$P/log" | tr '\\n' ' ')" >&2
          # tar may have given directories the archive's read-only modes: open them to remove them.
          chmod -R u+rwx "$S" "$P" 2>/dev/null || true
          rm -rf "$S" "$P" || true; rm -f "$A" || true; \(RemoteExit.deltaMismatch.shell)
        fi
        L="$P/sums"
        """
    }

    /// The delta's helpers in POSIX sh, run from the older release's directory:
    /// `co_dirs` checks its directories (none may be a link) and makes them in `$S`;
    /// `co_each LIST COMMAND…` runs COMMAND on every NUL-separated path of LIST (`xargs`);
    /// `co_same FILE COMMAND…` is true when COMMAND prints FILE's bytes; `co_tree` prints `$S`'s
    /// tree as the bundle's `tree` lists it.
    private static let deltaHelpers = """
    co_dirs() { xargs -0 -r sh -c 'S=$1; shift; for d do if [ -L "$d" ]; then echo "$d is a symlink in the older release"; exit 1; fi; done; cd "$S" && mkdir -p -- "$@"' sh "$S" < "$P/dirs"; }
    co_each() { co_l=$1; shift; xargs -0 -r "$@" < "$co_l"; }
    co_same() { co_e=$1; shift; "$@" | cmp -s - "$co_e"; }
    co_tree() { find . \\( -type l -printf 'l %p -> %l\\n' \\) -o -printf '%y %p\\n' | LC_ALL=C sort; }

    """

    /// The same helpers with bash 5's builtins where the shell is bash 5 (each list read with
    /// `mapfile` and given whole to one command; directories tested with `test`; outputs
    /// compared as strings, each ending in a `.` so that no trailing newline is lost), defined
    /// through `eval` so that other shells never parse bash's syntax; ``deltaHelpers`` elsewhere.
    private static let deltaHelpersUnderBash = "case ${BASH_VERSION:-} in [5-9]*) eval " + ShellQuote.quote("""
    co_dirs() {
      local -a co_a; local co_d
      mapfile -d '' -t co_a < "$P/dirs"
      for co_d in "${co_a[@]}"; do if [ -L "$co_d" ]; then echo "$co_d is a symlink in the older release"; return 1; fi; done
      (( ${#co_a[@]} == 0 )) || { cd "$S" && mkdir -p -- "${co_a[@]}" && cd "$O"; }
    }
    co_each() {
      local -a co_a
      mapfile -d '' -t co_a < "$1" || return 1
      (( ${#co_a[@]} == 0 )) || "${@:2}" "${co_a[@]}"
    }
    co_same() {
      local co_o co_e
      co_o=$("${@:2}" && echo .) || return 1
      co_e=$(< "$1") || return 1
      [ -z "$co_e" ] || co_e+=$'\\n'
      [ "$co_o" = "$co_e." ]
    }
    co_tree() { find . \\( -type l -printf 'l %p -> %l\\n' \\) -o -printf '%y %p\\n' | LC_ALL=C sort; }
    """) + " ;; *)\n" + deltaHelpers + ";; esac\n"
}
