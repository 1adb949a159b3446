import Diagnostics

/// Walks a parsed ssh_config for one host name as OpenSSH 9.2's `ssh` does before it connects.
///
/// - Lines apply while the last `Host` or `Match` line matched (lines before the first apply to all).
/// - For each keyword the first value obtained wins; `IdentityFile` accumulates (duplicates dropped);
///   `ProxyJump` and `ProxyCommand` share one slot, so whichever comes first wins and `none` in
///   either means a direct connection.
/// - `Host` patterns are matched, case-sensitively, against the name given to ssh.
/// - An `Include` under a block that does not apply applies nothing; a `Host`/`Match` inside an
///   included file does not change the block in force after the `Include`.
/// - Then the host name is settled (`HostName` with `%h`, lowercased). If a `Match` line asks for
///   `final`, the files are read a second time in which `Host` patterns match the settled host name,
///   `Match final`/`canonical` hold, and values already obtained stay.
/// - An `IgnoreUnknown` line is taken where it applies, the first one applying wins; it covers the
///   lines after it. A keyword OpenSSH does not know is then checked, in every block, applying or
///   not, and in included files under a block that does not apply (ssh parses them all): when the
///   `IgnoreUnknown` in force does not name it, ssh refuses the file, and so does Cutover (an error
///   naming the line and the host). The second pass finds nothing new: by then the first pass's
///   `IgnoreUnknown` is in force, and the keywords were checked against no more than that.
/// - With `runsCommands` false (a host the run does not connect to), a `Match` line with an `exec`
///   criterion runs nothing and does not apply. A command that ended without an exit status (it
///   ran out of time, was killed, could not start) does not match, with a warning naming the line.
struct SSHConfigEvaluator {
    var config: SSHConfig
    var runsCommands = true

    /// The raw values obtained, before token expansion.
    struct Values {
        var hostName: String?
        var port: Int?
        var user: String?
        var identityFiles: [String] = []
        var proxy: Proxy?
        var userKnownHostsFiles: [String]?
        var strictHostKeyChecking: String?
        /// Where each value came from, by keyword.
        var points: [String: SourcePoint] = [:]
        /// `Match exec` commands that decided nothing, each with its line.
        var execWarnings: [Diagnostic] = []
        /// The `IgnoreUnknown` patterns in force.
        var ignoreUnknown: String?
        /// Unknown keywords ssh would refuse the file for, each with its line.
        var unknownKeywords: [Diagnostic] = []
    }

    /// A proxy setting as written: `ProxyJump` hops or a `ProxyCommand` line (`none` kept as written).
    enum Proxy: Equatable {
        case jump(String)
        case command(String)
    }

    private struct Pass {
        var hostPatternsMatch: String
        var originalHost: String
        var isFinal: Bool
    }

    /// The values for `hostArgument` (the name ssh is given) and the settled host name.
    func evaluate(_ hostArgument: String) -> (values: Values, host: String) {
        var values = Values()
        var active = true
        walk(config.root, pass: Pass(hostPatternsMatch: hostArgument, originalHost: hostArgument, isFinal: false),
             active: &active, neverMatch: false, values: &values)
        let host = (values.hostName.map { SSHConfigTokens(values: ["h": hostArgument]).expandLeniently($0) } ?? hostArgument).lowercased()
        if wantsFinalPass(config.root) {
            values.hostName = host
            active = true
            walk(config.root, pass: Pass(hostPatternsMatch: host, originalHost: hostArgument, isFinal: true),
                 active: &active, neverMatch: false, values: &values)
        }
        return (values, host)
    }

    private func wantsFinalPass(_ file: SSHConfig.File) -> Bool {
        file.lines.contains { line in
            switch line {
            case .match(let match, _): return match.wantsFinalPass
            case .include(let files): return files.contains(where: wantsFinalPass)
            case .host, .option, .unknown: return false
            }
        }
    }

    private func walk(_ file: SSHConfig.File, pass: Pass, active: inout Bool, neverMatch: Bool, values: inout Values) {
        for line in file.lines {
            switch line {
            case .host(let patterns, _):
                active = !neverMatch && Self.hostPatternsMatch(patterns, pass.hostPatternsMatch)
            case .match(let match, _) where !runsCommands && match.runsCommand:
                active = false
            case .match(let match, let point):
                let subject = SSHConfigMatch.Subject(
                    host: pass.isFinal ? (values.hostName ?? pass.hostPatternsMatch)
                        : values.hostName.map { SSHConfigTokens(values: ["h": pass.originalHost]).expandLeniently($0) } ?? pass.originalHost,
                    originalHost: pass.originalHost,
                    remoteUser: values.user ?? config.local.user,
                    port: values.port ?? 22,
                    finalPass: pass.isFinal,
                    mayExecute: !neverMatch,
                    local: config.local)
                active = !neverMatch && match.evaluate(subject) { command, outcome in
                    if let problem = outcome.problem {
                        values.execWarnings.append(point.warning("Match exec '\(command)' \(problem): the block does not apply"))
                    }
                }
            case .include(let files):
                let enclosing = active
                for included in files {
                    walk(included, pass: pass, active: &active, neverMatch: neverMatch || !enclosing, values: &values)
                    active = enclosing
                }
            case .option(let entry):
                if active { Self.apply(entry, to: &values) }
            case .unknown(let keyword, let point):
                guard !pass.isFinal, !(values.ignoreUnknown.map { SSHConfigKeywords.ignores($0, keyword.lowercased()) } ?? false) else { continue }
                let why = values.ignoreUnknown.map { "the IgnoreUnknown in force for it (the first that applies) is '\($0)'" }
                    ?? "no IgnoreUnknown above this line applies to it"
                values.unknownKeywords.append(point.error(
                    "unknown keyword '\(keyword)' for host '\(pass.originalHost)': \(why), so ssh refuses the whole file (\"Bad configuration option\")"))
            }
        }
    }

    /// `Host` line semantics: some pattern matches and no negated one does; case-sensitive.
    static func hostPatternsMatch(_ patterns: [String], _ host: String) -> Bool {
        var matched = false
        for pattern in patterns {
            if pattern.hasPrefix("!") {
                if Glob(pattern: String(pattern.dropFirst())).matches(host) { return false }
            } else if Glob(pattern: pattern).matches(host) {
                matched = true
            }
        }
        return matched
    }

    private static func apply(_ entry: SSHConfig.Entry, to values: inout Values) {
        guard let first = entry.arguments.first else { return }
        func record() { values.points[entry.keyword] = entry.point }
        switch entry.keyword {
        case "hostname":
            if values.hostName == nil { values.hostName = first; record() }
        case "port":
            if values.port == nil, let port = SSHConfigPort.parse(first) { values.port = port; record() }
        case "user":
            if values.user == nil { values.user = first; record() }
        case "identityfile":
            if !values.identityFiles.contains(first) { values.identityFiles.append(first) }
            if values.points["identityfile"] == nil { record() }
        case "proxyjump":
            if values.proxy == nil { values.proxy = .jump(first); record() }
        case "proxycommand":
            if values.proxy == nil { values.proxy = .command(entry.rawValue); record() }
        case "userknownhostsfile":
            if values.userKnownHostsFiles == nil { values.userKnownHostsFiles = entry.arguments; record() }
        case "stricthostkeychecking":
            if values.strictHostKeyChecking == nil { values.strictHostKeyChecking = first.lowercased(); record() }
        case "ignoreunknown":
            if values.ignoreUnknown == nil { values.ignoreUnknown = first }
        default:
            break
        }
    }
}
