import Transport

/// A hook or check command that `sh -c` would run as one simple command: plain words (no
/// quotes, expansions, globs, redirections, separators or comments), the first a program (a
/// path, or a name that is no shell builtin or keyword). Under bash such a command runs
/// without the `sh` in between: one process fewer for every hook and check (`./bin/restart`,
/// `/usr/bin/systemctl restart web`, `curl -fsS http://127.0.0.1/`).
///
/// Only where the program is one the kernel runs itself (``probe``: an ELF file, or a `#!`
/// line naming an executable interpreter), found as `sh` finds it: a script the kernel
/// refuses is run by `sh` (dash) when `sh -c` starts it, but by bash (`exec`) or not at all
/// (musl's `execvp` under `timeout`) when started directly, so those keep `sh -c`.
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

    /// Defines `co_direct PROGRAM`: true when PROGRAM (a path, or a name found on a `PATH`
    /// without `~` in it: bash expands one, `sh` and `execvp` do not) is a regular executable
    /// file starting with ELF's magic or with `#!`, blanks and the absolute path of an executable
    /// interpreter on a first line the kernel reads whole (under 256 bytes). Bash 5 only
    /// (builtins: `hash`, `read -n`); in other shells always false.
    static let probe = "case ${BASH_VERSION:-} in [5-9]*) eval " + ShellQuote.quote("""
    co_direct() {
      local co_p=$1 co_m= co_i
      case $co_p in
        */*) ;;
        *) case :$PATH: in *:~*) return 1 ;; esac
           hash -- "$co_p" 2>/dev/null || return 1; co_p=${BASH_CMDS[$co_p]:-} ;;
      esac
      [ -f "$co_p" ] && [ -x "$co_p" ] || return 1
      IFS= read -r -n 255 co_m < "$co_p" 2>/dev/null
      case $co_m in
        $'\\177ELF'*) return 0 ;;
        '#!'*) co_i=${co_m#'#!'}; co_i=${co_i#"${co_i%%[! $'\\t']*}"}; co_i=${co_i%%[ $'\\t']*}
               case $co_i in /*) [ -f "$co_i" ] && [ -x "$co_i" ] && (( ${#co_m} < 255 )) ;; *) return 1 ;; esac ;;
        *) return 1 ;;
      esac
    }
    """) + " ;; *) co_direct() { return 1; } ;; esac\n"
}
