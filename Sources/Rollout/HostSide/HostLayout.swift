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
    /// `<id>.sha256`: the artifact each release was extracted from (``RemoteScripts/extract(release:archive:sha256:gzip:shared:preserveModes:)``).
    var manifests: String { meta + "/releases" }
    /// Blue/green: `slots/blue` and `slots/green` point at releases; `live` points at the slot serving traffic.
    var slots: String { root + "/slots" }
    var live: String { root + "/live" }

    func release(_ id: String) -> String { releases + "/" + id }
    func incomingFile(sha256: String, gzip: Bool) -> String { incoming + "/" + sha256 + (gzip ? ".tar.gz" : ".tar") }

    /// `co_target LINK` sets `co_t` to where the symbolic link LINK points, as `readlink`
    /// prints it (empty when LINK is no link). A link that resolves to a directory right in
    /// `releases/` costs no process: `cd -P` resolves it and the answer is `releases/NAME`;
    /// anything else (a dangling link, one that leads elsewhere) asks `readlink`.
    static let linkReader = """
    co_target() {
      co_t=
      [ -L "$1" ] || return 0
      if CDPATH= cd -P -- "$1" 2>/dev/null; then
        co_r=$PWD; cd -- "$OLDPWD" || return 1
        if CDPATH= cd -P -- "$R/releases" 2>/dev/null; then
          co_d=$PWD; cd -- "$OLDPWD" || return 1
          if [ "${co_r%/*}" = "$co_d" ]; then co_t=releases/${co_r##*/}; return 0; fi
        fi
      fi
      co_t=$(readlink -- "$1" 2>/dev/null) || co_t=
    }

    """

    /// `co_list DIR` prints the names in DIR but dot files, oldest first, control characters
    /// as `?`, as `ls -1trq` does; under bash 5 with builtins (a glob sorted with `-ot`/`-nt`,
    /// equal times by name, as `ls` breaks ties). Defined through `eval` so that other shells
    /// never parse bash's syntax.
    static let listReader = "case ${BASH_VERSION:-} in [5-9]*) eval " + ShellQuote.quote("""
    co_list() {
      local -a co_n=(); local co_f co_k co_i co_j
      for co_f in "$1"/*; do if [ -e "$co_f" ] || [ -L "$co_f" ]; then co_n+=("${co_f##*/}"); fi; done
      for (( co_i = 1; co_i < ${#co_n[@]}; co_i++ )); do
        co_k=${co_n[co_i]}; co_j=$(( co_i - 1 ))
        while (( co_j >= 0 )) && { [[ "$1/$co_k" -ot "$1/${co_n[co_j]}" ]] || { ! [[ "$1/$co_k" -nt "$1/${co_n[co_j]}" ]] && [[ "$co_k" > "${co_n[co_j]}" ]]; }; }; do
          co_n[co_j + 1]=${co_n[co_j]}; co_j=$(( co_j - 1 ))
        done
        co_n[co_j + 1]=$co_k
      done
      (( ${#co_n[@]} == 0 )) || printf '%s\\n' "${co_n[@]//[[:cntrl:]]/?}"
    }
    """) + " ;; *) co_list() { ls -1trq \"$1\" 2>/dev/null || true; } ;; esac\n"

    /// `co_tail FILE` prints FILE's last 200 lines: under bash 5 with builtins when FILE has at
    /// most 1,000 lines, else with `tail` (a long journal, another shell).
    static let tailReader = "case ${BASH_VERSION:-} in [5-9]*) eval " + ShellQuote.quote("""
    co_tail() {
      local -a co_l=(); local co_s
      mapfile -t -n 1001 co_l < "$1" || return 0
      if (( ${#co_l[@]} > 1000 )); then tail -n 200 "$1"; return; fi
      co_s=$(( ${#co_l[@]} > 200 ? ${#co_l[@]} - 200 : 0 ))
      (( ${#co_l[@]} == 0 )) || printf '%s\\n' "${co_l[@]:co_s}"
    }
    """) + " ;; *) co_tail() { tail -n 200 \"$1\"; } ;; esac\n"

    /// Shell variable assignments every script starts with; all values quoted.
    var preamble: String {
        "R=\(ShellQuote.quote(root)); M=\"$R/.cutover\"; J=\"$M/journal\"; "
    }
}
