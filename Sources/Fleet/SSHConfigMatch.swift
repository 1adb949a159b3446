/// A `Match` line's criteria, evaluated as OpenSSH 9.2's `match_cfg_line` does.
///
/// Criteria are `all`, `canonical`, `final`, `host`, `originalhost`, `user`, `localuser` and
/// `exec`, each optionally negated with `!`. All must hold. `canonical` and `final` hold only in
/// the second pass, which `final` asks for (Cutover never canonicalises host names, so
/// `canonical` is true exactly when `final` is). `exec` runs only when the criteria before it
/// held, and not at all while an `Include` is read under a block that does not apply; one that
/// ends without an exit status fails the line, negated or not (see ``MatchExecOutcome``).
struct SSHConfigMatch: Sendable {
    enum Kind: String, Sendable {
        case all, canonical, final, host, originalhost, user, localuser, exec
    }

    struct Criterion: Sendable {
        var kind: Kind
        var negated: Bool
        /// The pattern list or command; empty for `all`, `canonical`, `final`.
        var argument: String
    }

    var criteria: [Criterion]

    /// Whether the line asks for the second (`final`) pass.
    var wantsFinalPass: Bool {
        criteria.contains { $0.kind == .final }
    }

    /// Parses the arguments of a `Match` line; the message of the first mistake otherwise.
    static func parse(_ arguments: [String]) -> Result<SSHConfigMatch, SSHConfigMatchError> {
        var criteria: [Criterion] = []
        var attributes = 0
        var index = 0
        while index < arguments.count {
            let written = arguments[index]
            index += 1
            let negated = written.hasPrefix("!")
            let name = negated ? String(written.dropFirst()) : written
            guard let kind = Kind(rawValue: name.lowercased()) else {
                return .failure(SSHConfigMatchError(message: "unsupported 'Match' criterion '\(written)'"))
            }
            switch kind {
            case .all:
                if attributes > 1 || index < arguments.count {
                    return .failure(SSHConfigMatchError(message: "'\(written)' cannot be combined with other 'Match' criteria"))
                }
                criteria.append(Criterion(kind: .all, negated: negated, argument: ""))
                return .success(SSHConfigMatch(criteria: criteria))
            case .canonical, .final:
                attributes += 1
                criteria.append(Criterion(kind: kind, negated: negated, argument: ""))
            default:
                attributes += 1
                guard index < arguments.count, !arguments[index].isEmpty else {
                    return .failure(SSHConfigMatchError(message: "'Match \(written)' needs an argument"))
                }
                criteria.append(Criterion(kind: kind, negated: negated, argument: arguments[index]))
                index += 1
            }
        }
        guard attributes > 0 || !criteria.isEmpty else {
            return .failure(SSHConfigMatchError(message: "'Match' needs at least one criterion"))
        }
        return .success(SSHConfigMatch(criteria: criteria))
    }

    /// What a `Match` line is compared with at one point of the evaluation.
    struct Subject {
        /// The host name so far: `HostName` (with `%h` expanded) or the name given to ssh.
        var host: String
        /// The name given to ssh.
        var originalHost: String
        /// `User` so far, else the local user.
        var remoteUser: String
        var port: Int
        var finalPass: Bool
        /// False while reading an `Include` under a block that does not apply: nothing runs.
        var mayExecute: Bool
        var local: SSHConfigLocal
    }

    /// Whether the line has an `exec` criterion (a command to run for some hosts).
    var runsCommand: Bool {
        criteria.contains { $0.kind == .exec }
    }

    /// Whether the block applies; `exec` commands run here, and `ran` hears each one with how it ended.
    func evaluate(_ subject: Subject, ran: (String, MatchExecOutcome) -> Void = { _, _ in }) -> Bool {
        var result = true
        for criterion in criteria {
            let matched: Bool
            switch criterion.kind {
            case .all:
                return result ? !criterion.negated : false
            case .canonical, .final:
                matched = subject.finalPass
            case .host:
                matched = PatternList(criterion.argument, caseInsensitive: true).matches(subject.host)
            case .originalhost:
                matched = PatternList(criterion.argument, caseInsensitive: true).matches(subject.originalHost)
            case .user:
                matched = PatternList(criterion.argument).matches(subject.remoteUser)
            case .localuser:
                matched = PatternList(criterion.argument).matches(subject.local.user)
            case .exec:
                guard result, subject.mayExecute else { continue }
                let command = SSHConfigTokens(values: [
                    "C": SSHConfigTokens.connectionHash(local: subject.local.hostName, host: subject.host, port: subject.port, user: subject.remoteUser),
                    "L": subject.local.shortHostName, "d": subject.local.home,
                    // The remote side's names may come from an inventory: quoted unless a shell reads them literally.
                    "h": SSHConfigTokens.shellWord(subject.host), "k": SSHConfigTokens.shellWord(subject.host),
                    "l": subject.local.hostName, "n": SSHConfigTokens.shellWord(subject.originalHost), "p": String(subject.port),
                    "r": SSHConfigTokens.shellWord(subject.remoteUser), "u": subject.local.user, "i": String(subject.local.userID),
                ]).expandLeniently(criterion.argument)
                let outcome = subject.local.exec(command)
                ran(command, outcome)
                // A command that decided nothing (out of time, killed, not started) fails the
                // line, with `!exec` too: an undecided command never turns a block on.
                guard outcome.problem == nil else {
                    result = false
                    continue
                }
                matched = outcome.matches
            }
            if matched == criterion.negated { result = false }
        }
        return result
    }
}

/// A mistake in a `Match` line.
struct SSHConfigMatchError: Error {
    var message: String
}

/// An OpenSSH pattern list (`match_pattern_list`): comma-separated globs, `!` negates; a negated
/// match refuses whatever else matched.
struct PatternList {
    var patterns: [Substring]
    var caseInsensitive: Bool

    init(_ text: String, caseInsensitive: Bool = false) {
        patterns = text.split(separator: ",", omittingEmptySubsequences: false)
        self.caseInsensitive = caseInsensitive
    }

    func matches(_ name: String) -> Bool {
        var positive = false
        for pattern in patterns {
            let negated = pattern.hasPrefix("!")
            let glob = Glob(pattern: String(negated ? pattern.dropFirst() : pattern), caseInsensitive: caseInsensitive)
            if glob.matches(name) {
                if negated { return false }
                positive = true
            }
        }
        return positive
    }
}
