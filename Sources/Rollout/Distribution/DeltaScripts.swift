import Transport

/// The host-side steps of a delta push. Values are quoted; release ids are validated before
/// they get here. Needs only POSIX sh, coreutils (`cp`, `sha256sum`, `find`) and tar.
extension RemoteScripts {
    /// The extract script's exit status when a delta could not build a tree equal to the
    /// artifact (an older release file changed, a listing lied, a copy failed): nothing of it is
    /// kept, and the host gets a full push.
    static let deltaMismatchStatus = 80

    /// Prints the file listing kept beside `release` (`.cutover/releases/<id>.files`), nothing
    /// when there is none or it is not a plain file. Read-only.
    func readListing(of release: String) -> String {
        layout.preamble + """
        F="$M/releases/"\(ShellQuote.quote(release)).files
        if [ -f "$F" ] && [ ! -L "$F" ]; then cat "$F"; fi
        """
    }

    /// Builds the staging directory `$S` from the delta bundle `$A` and the older release `old`,
    /// then proves it equal to the artifact: the whole tree's shape, types and link targets
    /// (`tree`), then every file's sha256 (`sums`, hashed by `openssl dgst` when the host has it,
    /// else `sha256sum -c`). Runs inside ``extract(release:archive:sha256:gzip:shared:preserveModes:archiveSHA256:listing:listingOnStdin:unpack:)``
    /// in place of `tar -x`.
    ///
    /// Unchanged files are copied (`cp --reflink=auto`: copy-on-write where the file system
    /// shares extents, a plain copy elsewhere), never hard-linked: a release must not change
    /// when another one does. Paths come from the bundle the runner built from the artifact;
    /// the older release is only read. The tree is checked before `chmod` and `touch` touch the
    /// copies, so a link planted in the older release (copied as a link) cannot lead a write
    /// outside. Modes follow tar's rule: the archive's bits, less the umask unless root.
    ///
    /// Few processes, whatever the number of files: one `tar` for the bundle and one for the
    /// changed files, one `cp` for all unchanged ones, one `sh` and `mkdir` for the directories,
    /// one `chmod` per mode and one `touch` per modification time, one `find` and one hashing
    /// process for the whole tree.
    ///
    /// On any failure: `$S` and the bundle are removed, exit ``deltaMismatchStatus``.
    func deltaUnpack(from old: String, release id: String) -> String {
        """
        O="$R/releases/"\(ShellQuote.quote(old)); P="$M/incoming/.delta-"\(ShellQuote.quote(id))
        if [ -e "$P" ] || [ -L "$P" ]; then rm -rf "$P"; fi
        mkdir -p "$P"
        # Run as a command of its own: `set -e` is ignored inside an `if`, `!`, `&&` or `||` test.
        set +e
        (
          set -e
          if [ ! -d "$O" ] || [ -L "$O" ]; then echo "$O is not a release directory"; exit 1; fi
          tar -xf "$A" -C "$P" --no-same-owner
          cd "$O"
          # Every directory of the artifact that the older release has must be a directory there,
          # not a link: `cp -P` follows a link in the middle of a path, and would read elsewhere.
          # The same process makes them in the staging directory.
          xargs -0 -r sh -c 'S=$1; shift; for d do if [ -L "$d" ]; then echo "$d is a symlink in the older release"; exit 1; fi; done; cd "$S" && mkdir -p -- "$@"' sh "$S" < "$P/dirs"
          xargs -0 -r cp -R -P --reflink=auto --parents -t "$S" -- < "$P/copy"
          cd "$S"
          tar -xf "$P/changes.tar" --no-same-owner
          # Every path's type and link target as the artifact has them: copies are plain files.
          find . \\( -type l -printf 'l %p -> %l\\n' \\) -o -printf '%y %p\\n' | LC_ALL=C sort | cmp -s - "$P/tree" || { echo "the tree differs from the artifact's"; exit 1; }
          r=; [ -z "${BASH_VERSION:-}" ] || r=${EUID:-}; [ -n "$r" ] || r=$(id -u)
          u=; [ "$r" = 0 ] || u=$(umask)
          for f in "$P"/mode.*; do
            [ -f "$f" ] || continue
            m=${f##*.}; [ "$r" = 0 ] || m=$(printf '%o' $(( $m & ~0$u )))
            xargs -0 -r chmod "$m" -- < "$f"
          done
          for f in "$P"/mtime.*; do [ -f "$f" ] || continue; xargs -0 -r touch -h -m -d "@${f##*.}" -- < "$f"; done
          # SHA-256 of every file: OpenSSL's (SHA-NI, several times faster) where the host has it.
          if command -v openssl >/dev/null 2>&1; then
            xargs -0 -r openssl dgst -sha256 -r -- < "$P/files" | sed 's/ \\*/  /' | cmp -s - "$P/sums" || { echo "a file's sha256 differs from the artifact's"; exit 1; }
          else
            sha256sum --quiet --strict -c "$P/sums"
          fi
        ) > "$P/log" 2>&1
        built=$?
        set -e
        if [ "$built" != 0 ]; then
          echo "delta from "\(ShellQuote.quote(old))" failed: $(tail -n 3 "$P/log" | tr '\\n' ' ')" >&2
          # tar may have given directories the archive's read-only modes: open them to remove them.
          chmod -R u+rwx "$S" "$P" 2>/dev/null || true
          rm -rf "$S" "$P" || true; rm -f "$A" || true; exit \(Self.deltaMismatchStatus)
        fi
        mv -f "$P/sums" "$P.files"; rm -rf "$P"; L="$P.files"
        """
    }
}
