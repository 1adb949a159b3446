import Transport

/// A hook or check command that `sh -c` would run as one simple command: plain words (no
/// quotes, expansions, globs, redirections, separators or comments), the first a program (a
/// path, or a name that is no shell builtin or keyword). Such a command runs without the `sh`
/// in between: the host starts the program itself, one process fewer for every hook and
/// check (`./bin/restart`, `/usr/bin/systemctl restart web`, `curl -fsS http://127.0.0.1/`).
///
/// Without `sh`, what starts the program must find and start it as `sh` would: coreutils
/// `timeout` does (`execvp`: the same `PATH` search, and a script without `#!` run by
/// `/bin/sh`); bash's `exec` runs a script without `#!` itself, so a hook goes direct only when
/// ``probe`` finds an ELF or `#!` program (else `sh -c` as before).
struct DirectCommand: Sendable, Hashable {
    let words: [String]

    /// Characters of a plain word: none is special to `sh` anywhere in a word.
    private static let plain = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_./:@%+,=-")

    /// Names `sh` (dash) or bash would not look up as a program: builtins and keywords.
    private static let shellWords: Set<String> = [
        ".", ":", "[", "[[", "]]", "!", "{", "}", "alias", "bg", "bind", "break", "builtin", "caller", "case", "cd", "chdir",
        "command", "compgen", "complete", "compopt", "continue", "declare", "dirs", "disown", "do", "done", "echo", "elif",
        "else", "enable", "esac", "eval", "exec", "exit", "export", "false", "fc", "fg", "fi", "for", "function", "getopts",
        "hash", "help", "history", "if", "in", "jobs", "kill", "let", "local", "logout", "mapfile", "popd", "printf",
        "pushd", "pwd", "read", "readarray", "readonly", "return", "select", "set", "shift", "shopt", "source", "suspend",
        "test", "then", "time", "times", "trap", "true", "type", "typeset", "ulimit", "umask", "unalias", "unset", "until",
        "wait", "while",
    ]

    init?(_ command: String) {
        let words = command.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        guard let program = words.first, !command.contains("\n"), !command.contains("\r"),
              words.allSatisfy({ $0.allSatisfy(Self.plain.contains) }),
              !program.contains("="), !program.hasPrefix("-"), !Self.shellWords.contains(program) else { return nil }
        self.words = words
    }

    var program: String { words[0] }

    /// The words as shell text (plain words need no quotes).
    var text: String { words.joined(separator: " ") }

    /// Defines `co_direct PROGRAM`: true when PROGRAM (a path, or a name found on `PATH`) is a
    /// regular executable file starting with `#!` or ELF's magic, so that `exec` runs it as
    /// `sh` would. Bash 5 only (builtins: `hash`, `read -n`); in other shells always false.
    static let probe = "case ${BASH_VERSION:-} in [5-9]*) eval " + ShellQuote.quote("""
    co_direct() {
      local co_p=$1 co_m=
      case $co_p in */*) ;; *) hash -- "$co_p" 2>/dev/null || return 1; co_p=${BASH_CMDS[$co_p]:-} ;; esac
      [ -f "$co_p" ] && [ -x "$co_p" ] || return 1
      IFS= read -r -n 2 co_m < "$co_p" 2>/dev/null
      case $co_m in '#!'|$'\\177E') return 0 ;; esac
      return 1
    }
    """) + " ;; *) co_direct() { return 1; } ;; esac\n"
}
