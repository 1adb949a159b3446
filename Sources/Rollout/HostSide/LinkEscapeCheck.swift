import Transport

/// The extract's check that no link in the staging directory `$S` resolves outside it: defines
/// `co_links`, true when every link's target, resolved as the kernel would (`readlink -m`),
/// is `$B` (the directory's physical path) or below it. On a link that leaves, it prints
/// `link <path> resolves outside the release` on stderr and is false; so it is when the links
/// cannot be listed or resolved.
///
/// In POSIX sh `find` hands the links to one `sh`, which resolves each with a `readlink` of its
/// own. Under bash 5 one `find` lists them all and one `readlink -z` resolves them all, read with
/// `mapfile` (a name may hold any byte but NUL); each tool's output ends with a sentinel no path
/// can be (`ok`: every path printed is absolute), so one that failed midway is seen. When the
/// names are too long for one command line it does it the POSIX way.
enum LinkEscapeCheck {
    /// Defines `co_links` (after `$S` and `$B` are set, before it is called).
    static let definition = """
    co_links_sh() { find "$S" -type l -exec sh -c 'b=$1 s=$2; shift 2; for l; do t=$(readlink -m -- "$l"); case "$t" in "$b"|"$b"/*) ;; *) printf "link %s resolves outside the release\\n" "${l#"$s"/}" >&2; exit 1;; esac; done' sh "$B" "$S" {} +; }
    co_links() { co_links_sh; }
    case ${BASH_VERSION:-} in [5-9]*) eval \(ShellQuote.quote(underBash)) ;; esac

    """

    /// `co_links` with bash's builtins: 2 programs whatever the number of links, where the POSIX
    /// way starts one `readlink` per link.
    private static let underBash = """
    co_links() {
      local -a co_l co_t; local co_i co_n co_j IFS=
      mapfile -d '' -t co_l < <(find "$S" -type l -print0 && printf 'ok\\0')
      co_n=${#co_l[@]}
      if (( co_n == 0 )) || [ "${co_l[co_n - 1]}" != ok ]; then echo "cannot list the links in $S" >&2; return 1; fi
      co_n=$(( co_n - 1 )); unset 'co_l[co_n]'
      (( co_n > 0 )) || return 0
      # Bytes are at most 4 per character; 9 more per argument: its NUL and its pointer.
      co_j="${co_l[*]}"
      (( 4 * ${#co_j} + 9 * co_n <= \(RemoteScripts.directArgumentBytes) )) || { co_links_sh; return; }
      mapfile -d '' -t co_t < <(readlink -z -m -- "${co_l[@]}" && printf 'ok\\0')
      if (( ${#co_t[@]} != co_n + 1 )) || [ "${co_t[co_n]}" != ok ]; then echo "cannot resolve the links in $S" >&2; return 1; fi
      for (( co_i = 0; co_i < co_n; co_i++ )); do
        case ${co_t[co_i]} in "$B"|"$B"/*) ;; *) printf 'link %s resolves outside the release\\n' "${co_l[co_i]#"$S"/}" >&2; return 1 ;; esac
      done
    }
    """
}
