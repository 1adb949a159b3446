/// A parsed OpenSSH client configuration (`~/.ssh/config`), queried per host like `ssh NAME` would.
///
/// Semantics follow ssh_config(5): blocks apply when a `Host` pattern matches; for each keyword the
/// first value obtained wins, except `IdentityFile`, which accumulates. `Match` blocks are skipped
/// (with a warning at parse time).
struct SSHConfig: Sendable {
    /// When a block applies.
    enum Condition: Sendable, Hashable {
        /// Lines before the first `Host`: apply to every host.
        case always
        /// `Host` patterns (globs, `!negated`), matched case-insensitively.
        case host([String])
        /// `Match`: not supported, never applies.
        case never
    }

    /// One keyword line.
    struct Entry: Sendable {
        var keyword: String
        var arguments: [String]
        var point: SourcePoint
    }

    /// A run of entries under one condition.
    struct Block: Sendable {
        var condition: Condition
        var entries: [Entry] = []
    }

    var blocks: [Block]
    /// Home directory for `~` and `%d`; relative paths are resolved against it.
    var home: String
    /// Local user name for `%u`.
    var localUser: String

    /// Whether a block's condition applies to `host`.
    static func applies(_ condition: Condition, to host: String) -> Bool {
        switch condition {
        case .always: return true
        case .never: return false
        case .host(let patterns):
            var matched = false
            for pattern in patterns {
                if pattern.hasPrefix("!") {
                    if Glob(pattern: String(pattern.dropFirst()), caseInsensitive: true).matches(host) { return false }
                } else if Glob(pattern: pattern, caseInsensitive: true).matches(host) {
                    matched = true
                }
            }
            return matched
        }
    }

    /// The connection settings ssh would use for `host` (the name given on the command line).
    func settings(for host: String) -> ConnectionSettings {
        var firstValues: [String: [String]] = [:]
        var identityFiles: [String] = []
        for block in blocks where Self.applies(block.condition, to: host) {
            for entry in block.entries {
                if entry.keyword == "identityfile" {
                    identityFiles.append(contentsOf: entry.arguments.prefix(1))
                } else if firstValues[entry.keyword] == nil {
                    firstValues[entry.keyword] = entry.arguments
                }
            }
        }
        var settings = ConnectionSettings()
        let hostName = firstValues["hostname"]?.first.map { expand($0, tokens: ["h": host]) }
        settings.address = hostName
        settings.user = firstValues["user"]?.first
        settings.port = firstValues["port"]?.first.flatMap { Int($0) }
        let tokens: [Character: String] = ["h": hostName ?? host, "n": host, "r": settings.user ?? localUser, "u": localUser, "d": home]
        let paths = PathResolution(baseDirectory: home, homeDirectory: home)
        if !identityFiles.isEmpty {
            settings.identityFiles = identityFiles.filter { $0.lowercased() != "none" }.map { paths.resolve(expand($0, tokens: tokens)) }
        }
        if let files = firstValues["userknownhostsfile"], files.first?.lowercased() != "none" {
            settings.knownHostsFiles = files.map { paths.resolve(expand($0, tokens: tokens)) }
        }
        if let value = firstValues["stricthostkeychecking"]?.first?.lowercased() {
            settings.hostKeyPolicy = value == "accept-new" ? .acceptNew : .strict
        }
        if let jump = firstValues["proxyjump"]?.first {
            if jump.lowercased() == "none" {
                settings.jump = .direct
            } else {
                let hops = jump.split(separator: ",").map { $0.trimmingWhitespace() }.filter { !$0.isEmpty }
                settings.jump = hops.isEmpty ? nil : .proxyJump(hops)
            }
        }
        return settings
    }

    /// Replaces `%x` tokens and a leading `~`; unknown tokens are kept as written.
    func expand(_ text: String, tokens: [Character: String]) -> String {
        var result = ""
        var iterator = text.makeIterator()
        while let character = iterator.next() {
            guard character == "%" else {
                result.append(character)
                continue
            }
            guard let token = iterator.next() else {
                result.append("%")
                break
            }
            if token == "%" {
                result.append("%")
            } else if let value = tokens[token] {
                result += value
            } else {
                result += "%\(token)"
            }
        }
        if result == "~" { return home }
        if result.hasPrefix("~/") { return home + result.dropFirst() }
        return result
    }
}
