/// A parsed OpenSSH client configuration (`~/.ssh/config`), queried per host like `ssh NAME` would.
///
/// The file is kept as OpenSSH reads it: a sequence of `Host`, `Match`, `Include` and keyword lines,
/// each included file spliced where its `Include` stands. ``SSHConfigEvaluator`` walks it the way
/// `ssh -G` does (first obtained value wins, `IdentityFile` accumulates, `Match final` asks for a
/// second pass); ``SSHConfigResolution`` expands tokens into the fields Cutover uses.
struct SSHConfig: Sendable {
    /// One keyword line.
    struct Entry: Sendable {
        /// The keyword, lowercased.
        var keyword: String
        /// The arguments, quotes removed.
        var arguments: [String]
        /// The rest of the line after the keyword and its separator, as written (OpenSSH keeps
        /// `ProxyCommand` this way: quotes and a trailing comment included).
        var rawValue: String
        var point: SourcePoint
    }

    /// One line that matters to evaluation.
    enum Line: Sendable {
        /// `Host pattern…`: patterns matched against the host name given to ssh.
        case host([String], SourcePoint)
        /// `Match criterion…`.
        case match(SSHConfigMatch, SourcePoint)
        /// A keyword Cutover reads (`IgnoreUnknown` among them).
        case option(Entry)
        /// A keyword OpenSSH does not know (as written) that an `IgnoreUnknown` line read before it
        /// names: ssh ignores it when that `IgnoreUnknown` is the one in force for the host, and
        /// refuses the file otherwise.
        case unknown(String, SourcePoint)
        /// `Include`: the files it named, already parsed, in glob order.
        case include([File])
    }

    /// One file, its lines in order.
    struct File: Sendable {
        var path: String
        var lines: [Line]
    }

    var root: File
    /// The facts about the local side that tokens and `Match` need.
    var local: SSHConfigLocal
}
