import Diagnostics
import Foundation

/// Reads ssh_config text into an ``SSHConfig``, following `Include` and reporting mistakes.
///
/// Keywords are case-insensitive, `Key value`, `Key=value` and `Key = value` all work, double-quoted
/// arguments may contain spaces, CRLF line ends are accepted. Keywords Cutover does not use are
/// ignored, with a warning (once per keyword per file) for those that change how a connection is
/// made or trusted (``SSHConfigKeywords``). A keyword OpenSSH does not know is an error, as ssh
/// refuses the file for it, unless an `IgnoreUnknown` line read before it names it; whether that
/// line is in force depends on the host (it is only where it applies, and the first one applying
/// wins), so the parser refuses only what no earlier `IgnoreUnknown` names and leaves the rest to
/// ``SSHConfigEvaluator``. A keyword line without a value is refused, as by ssh, whatever the
/// keyword. `Include` is OpenSSH's: a path not starting with `/` or
/// `~` is relative to `~/.ssh` (for every user configuration, `-F` files too), and every component
/// may be a glob (glob(3), as ssh uses).
struct SSHConfigParser {
    var home: String
    var collector: DiagnosticCollector
    /// The local user name for `%u` and `Match localuser`.
    var localUser: String = ProcessInfo.processInfo.environment["USER"] ?? NSUserName()
    /// Overrides the local facts (tests give `Match exec` a recorder).
    var local: SSHConfigLocal?

    func parse(_ source: SourceText) -> SSHConfig {
        var trail = IncludeTrail(files: [Self.canonical(PathResolution.absolutePath(source.path))])
        let root = parse(source, trail: &trail)
        return SSHConfig(root: root, local: local ?? SSHConfigLocal.current(home: home, user: localUser))
    }

    /// The files being read, outermost first, and how many more files `Include` may read in all.
    private struct IncludeTrail {
        var files: [String]
        /// Bounds the work of includes that fan out (each file including several others, many levels deep).
        var remaining = 256
        /// `file\u{0}keyword` of each ignored keyword already warned about.
        var warned: Set<String> = []
        /// The value of every `IgnoreUnknown` line read so far, in whichever block.
        var ignoreUnknown: [String] = []
    }

    private func parse(_ source: SourceText, trail: inout IncludeTrail) -> SSHConfig.File {
        var lines: [SSHConfig.Line] = []
        for (index, rawLine) in source.lines.enumerated() {
            let lineNumber = index + 1
            guard let line = splitLine(rawLine, source: source, lineNumber: lineNumber) else { continue }
            let point = source.point(line: lineNumber, column: line.column)
            switch line.keyword {
            case "host":
                guard !line.arguments.isEmpty else {
                    collector.report(point.error("'Host' needs at least one pattern"))
                    continue
                }
                lines.append(.host(line.arguments, point))
            case "match":
                switch SSHConfigMatch.parse(line.arguments) {
                case .success(let match): lines.append(.match(match, point))
                case .failure(let error): collector.report(point.error(error.message))
                }
            case "include":
                guard !line.arguments.isEmpty else {
                    collector.report(point.error("'Include' needs at least one path"))
                    continue
                }
                lines.append(.include(include(line.arguments, point: point, trail: &trail)))
            case "ignoreunknown":
                guard validate(line.keyword, line.arguments, point: point) else { continue }
                trail.ignoreUnknown.append(line.arguments[0])
                lines.append(.option(SSHConfig.Entry(keyword: line.keyword, arguments: line.arguments, rawValue: line.rawValue, point: point)))
            case _ where SSHConfigKeywords.known[line.keyword] == nil:
                // ssh checks for a value before it looks the keyword up, IgnoreUnknown or not.
                guard !line.rawValue.isEmpty else {
                    collector.report(point.error("no value after keyword '\(line.written)' (ssh refuses it too)"))
                    continue
                }
                guard trail.ignoreUnknown.contains(where: { SSHConfigKeywords.ignores($0, line.keyword) }) else {
                    collector.report(point.error(SSHConfigKeywords.unknownMessage(line.written)))
                    continue
                }
                lines.append(.unknown(line.written, point))
            default:
                let keyword = SSHConfigKeywords.canonical(line.keyword)
                guard SSHConfigKeywords.honoured.contains(keyword) else {
                    guard !line.rawValue.isEmpty else {
                        collector.report(point.error("no value after keyword '\(line.written)' (ssh refuses it too)"))
                        continue
                    }
                    if let message = SSHConfigKeywords.warning(for: keyword),
                       trail.warned.insert(source.path + "\u{0}" + keyword).inserted {
                        collector.report(point.warning(message))
                    }
                    continue
                }
                guard validate(keyword, line.arguments, point: point) else { continue }
                lines.append(.option(SSHConfig.Entry(keyword: keyword, arguments: line.arguments, rawValue: line.rawValue, point: point)))
            }
        }
        return SSHConfig.File(path: source.path, lines: lines)
    }

    /// One split line: keyword lowercased and as written, its column, arguments with quotes
    /// removed, and the value as written.
    private struct Line {
        var keyword: String
        var written: String
        var column: Int
        var arguments: [String]
        var rawValue: String
    }

    /// Splits a line as OpenSSH's `argv_split` does: words separated by blanks; `"…"` and `'…'`
    /// quote (also inside a word); a backslash escapes a quote, a backslash, or a blank outside
    /// quotes; a word starting with `#` ends the line. Trailing blanks (and a CR) are not part of it.
    private func splitLine(_ raw: String, source: SourceText, lineNumber: Int) -> Line? {
        var scalars = Array(raw.unicodeScalars)
        func isSpace(_ scalar: Unicode.Scalar) -> Bool { scalar == " " || scalar == "\t" }
        while let last = scalars.last, isSpace(last) || last == "\r" || last == "\u{0C}" || last == "\n" { scalars.removeLast() }
        var index = 0
        while index < scalars.count, isSpace(scalars[index]) { index += 1 }
        guard index < scalars.count, scalars[index] != "#" else { return nil }
        let column = index + 1
        var keyword = ""
        while index < scalars.count, !isSpace(scalars[index]), scalars[index] != "=" {
            keyword.unicodeScalars.append(scalars[index])
            index += 1
        }
        var rawStart = index
        while rawStart < scalars.count, isSpace(scalars[rawStart]) || scalars[rawStart] == "=" { rawStart += 1 }
        var rawValue = ""
        rawValue.unicodeScalars.append(contentsOf: scalars[rawStart...])
        while index < scalars.count, isSpace(scalars[index]) { index += 1 }
        if index < scalars.count, scalars[index] == "=" { index += 1 }
        var arguments: [String] = []
        while index < scalars.count {
            while index < scalars.count, isSpace(scalars[index]) { index += 1 }
            guard index < scalars.count else { break }
            if scalars[index] == "#" { break }
            var argument = ""
            var quote: Unicode.Scalar?
            let start = index
            while index < scalars.count {
                let scalar = scalars[index]
                if scalar == "\\", index + 1 < scalars.count,
                   ["'", "\"", "\\"].contains(scalars[index + 1]) || (quote == nil && scalars[index + 1] == " ") {
                    argument.unicodeScalars.append(scalars[index + 1])
                    index += 2
                    continue
                }
                if quote == nil && isSpace(scalar) { break }
                if quote == nil && (scalar == "\"" || scalar == "'") {
                    quote = scalar
                } else if let open = quote, scalar == open {
                    quote = nil
                } else {
                    argument.unicodeScalars.append(scalar)
                }
                index += 1
            }
            if quote != nil {
                collector.report(source.diagnostic(.error, "unterminated quote", line: lineNumber, column: start + 1))
                return nil
            }
            arguments.append(argument)
        }
        return Line(keyword: keyword.lowercased(), written: keyword, column: column, arguments: arguments, rawValue: rawValue)
    }

    /// Checks one used keyword's arguments as ssh does when it reads the line (in every block,
    /// applying or not); reports and returns false when unusable.
    private func validate(_ keyword: String, _ arguments: [String], point: SourcePoint) -> Bool {
        guard let first = arguments.first, keyword == "proxycommand" || !first.isEmpty else {
            collector.report(point.error("missing value for '\(keyword)'"))
            return false
        }
        if Self.singleArgument.contains(keyword), arguments.count > 1 {
            collector.report(point.error("'\(keyword)' takes one value; extra arguments at the end of the line"))
            return false
        }
        switch keyword {
        case "port":
            guard SSHConfigPort.parse(first) != nil else {
                collector.report(point.error("invalid port '\(first)' (expected 1...65535 or a service name)"))
                return false
            }
        case "stricthostkeychecking":
            guard ["yes", "ask", "accept-new", "no", "off", "true", "false"].contains(first.lowercased()) else {
                collector.report(point.error("invalid StrictHostKeyChecking value '\(first)' (expected yes, ask, accept-new, no or off)"))
                return false
            }
        case "proxyjump":
            guard first.lowercased() == "none" || Self.isValidJump(first) else {
                collector.report(point.error("invalid ProxyJump '\(first)' (expected [user@]host[:port],…)"))
                return false
            }
        default:
            break
        }
        return true
    }

    /// Keywords ssh reads exactly one value for.
    private static let singleArgument: Set<String> = [
        "hostname", "user", "port", "identityfile", "proxyjump", "stricthostkeychecking", "ignoreunknown",
    ]

    /// `[user@]host[:port]` hops separated by commas, as ssh's `parse_jump` accepts them (an
    /// `ssh://` URI is left to ssh to judge: accepted here).
    private static func isValidJump(_ text: String) -> Bool {
        text.split(separator: ",", omittingEmptySubsequences: false).allSatisfy { hop in
            if hop.hasPrefix("ssh://") { return true }
            let spec = JumpSpec(String(hop))
            let colons = spec.host.filter { $0 == ":" }.count
            return !spec.host.isEmpty && colons != 1 && !spec.host.contains(where: { "%/ \t".contains($0) })
        }
    }

    /// The files `Include` names, parsed, in glob(3) order; files that do not exist give nothing.
    ///
    /// Directories are read as empty (as ssh does); devices and FIFOs are refused; a file that
    /// includes itself, more than 16 nested levels or more than 256 included files in all are errors.
    private func include(_ patterns: [String], point: SourcePoint, trail: inout IncludeTrail) -> [SSHConfig.File] {
        guard trail.files.count <= 16 else {
            collector.report(point.error("too many nested 'Include' directives"))
            return []
        }
        var files: [SSHConfig.File] = []
        for pattern in patterns {
            let anchored: String
            if pattern.hasPrefix("/") || pattern.hasPrefix("~") {
                anchored = SSHConfigTokens.expandTilde(pattern, home: home)
            } else {
                anchored = (home as NSString).appendingPathComponent(".ssh/" + pattern)
            }
            for file in Self.glob(anchored) {
                if trail.files.contains(Self.canonical(file)) {
                    collector.report(point.error("'Include \(pattern)' includes '\(file)', which is already being read (an include cycle)"))
                    continue
                }
                switch Self.fileKind(file) {
                case .directory, .missing:
                    continue
                case .other:
                    collector.report(point.error("'Include \(pattern)' names '\(file)', which is not a regular file"))
                    continue
                case .regular:
                    break
                }
                guard trail.remaining > 0 else {
                    collector.report(point.error("too many included files (more than 256 in all)"))
                    return files
                }
                trail.remaining -= 1
                guard let included = try? SourceText.read(path: file) else { continue }
                trail.files.append(Self.canonical(file))
                files.append(parse(included, trail: &trail))
                trail.files.removeLast()
            }
        }
        return files
    }

    private enum FileKind { case regular, directory, missing, other }

    private static func fileKind(_ path: String) -> FileKind {
        var status = stat()
        guard stat(path, &status) == 0 else { return .missing }
        switch status.st_mode & S_IFMT {
        case S_IFREG: return .regular
        case S_IFDIR: return .directory
        default: return .other
        }
    }

    /// glob(3) without flags, as ssh calls it: sorted, `*` does not match a leading dot, any
    /// component may hold a pattern; a path without a pattern is returned when it exists.
    private static func glob(_ pattern: String) -> [String] {
        var result = glob_t()
        defer { globfree(&result) }
        guard Glibc.glob(pattern, 0, nil, &result) == 0 else { return [] }
        return (0..<Int(result.gl_pathc)).compactMap { index in
            result.gl_pathv[index].map { String(cString: $0) }
        }
    }

    /// The path with symlinks resolved, so a cycle is seen whatever the spelling.
    private static func canonical(_ path: String) -> String {
        (path as NSString).resolvingSymlinksInPath
    }
}
