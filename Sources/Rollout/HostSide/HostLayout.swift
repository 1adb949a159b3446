import Transport

/// Where things live under a deploy root on a host (see DESIGN.md, "On each host").
struct HostLayout: Sendable, Hashable {
    let root: String

    var releases: String { root + "/releases" }
    var current: String { root + "/current" }
    var shared: String { root + "/shared" }
    var meta: String { root + "/.cutover" }
    var journal: String { meta + "/journal" }
    var lock: String { meta + "/lock" }
    var incoming: String { meta + "/incoming" }
    /// `<id>.sha256`: the artifact each release was extracted from
    /// (``RemoteScripts/extract(release:archive:sha256:gzip:shared:preserveModes:archiveSHA256:listing:listingOnStdin:unpack:leftovers:)``).
    var manifests: String { meta + "/releases" }
    /// Blue/green: `slots/blue` and `slots/green` point at releases; `live` points at the slot serving traffic.
    var slots: String { root + "/slots" }
    var live: String { root + "/live" }

    func release(_ id: String) -> String { releases + "/" + id }
    func incomingFile(sha256: String, gzip: Bool) -> String { incoming + "/" + sha256 + (gzip ? ".tar.gz" : ".tar") }

    /// `co_list DIR` prints the names in DIR but dot files, oldest first, control characters
    /// as `?`: what `ls -1trq` prints, which it asks unless the shell is bash 5 and DIR holds at
    /// most 64 entries, none a link and every name printable ASCII (a release root's usual
    /// content): then builtins sort them (a glob, `-ot`/`-nt` with equal times by name, as `ls`
    /// breaks ties) and no process starts. Defined through `eval` so that other shells never
    /// parse bash's syntax.
    static let listReader = "case ${BASH_VERSION:-} in [5-9]*) eval " + ShellQuote.quote("""
    co_list() {
      local -a co_n=(); local co_f co_k co_i co_j
      for co_f in "$1"/*; do
        if [ -L "$co_f" ] || (( ${#co_n[@]} >= 64 )); then ls -1trq "$1" 2>/dev/null; return 0; fi
        co_k=${co_f##*/}
        case $co_k in *[!\\ -~]*) ls -1trq "$1" 2>/dev/null; return 0 ;; esac
        if [ -e "$co_f" ]; then co_n+=("$co_k"); fi
      done
      for (( co_i = 1; co_i < ${#co_n[@]}; co_i++ )); do
        co_k=${co_n[co_i]}; co_j=$(( co_i - 1 ))
        while (( co_j >= 0 )) && { [[ "$1/$co_k" -ot "$1/${co_n[co_j]}" ]] || { ! [[ "$1/$co_k" -nt "$1/${co_n[co_j]}" ]] && [[ "$co_k" > "${co_n[co_j]}" ]]; }; }; do
          co_n[co_j + 1]=${co_n[co_j]}; co_j=$(( co_j - 1 ))
        done
        co_n[co_j + 1]=$co_k
      done
      (( ${#co_n[@]} == 0 )) || printf '%s\\n' "${co_n[@]}"
    }
    """) + " ;; *) co_list() { ls -1trq \"$1\" 2>/dev/null || true; } ;; esac\n"

    /// Shell variable assignments every script starts with; all values quoted.
    var preamble: String {
        "R=\(ShellQuote.quote(root)); M=\"$R/.cutover\"; J=\"$M/journal\"; "
    }
}
