import Diagnostics
import Foundation

/// Reads ssh_config text into `SSHConfig` blocks, following `Include` and reporting mistakes.
///
/// Keywords are case-insensitive, `Key value` and `Key=value` both work, double-quoted arguments may
/// contain spaces. Keywords Cutover does not use are ignored, with a warning (once per keyword per
/// file) for those that change how a connection is made or trusted (``SSHConfigKeywords``). A
/// relative `Include` is resolved against the directory of the file that includes it (for
/// `~/.ssh/config` that is `~/.ssh`, as in OpenSSH).
struct SSHConfigParser {
    var home: String
    var collector: DiagnosticCollector
    /// The local user name for `%u`.
    var localUser: String = ProcessInfo.processInfo.environment["USER"] ?? NSUserName()

    func parse(_ source: SourceText) -> SSHConfig {
        var blocks: [SSHConfig.Block] = []
        var trail = IncludeTrail(files: [Self.canonical(PathResolution.absolutePath(source.path))])
        parse(source, condition: .always, trail: &trail, into: &blocks)
        return SSHConfig(blocks: blocks, home: home, localUser: localUser)
    }

    /// The files being read, outermost first, and how many more files `Include` may read in all.
    private struct IncludeTrail {
        var files: [String]
        /// Bounds the work of includes that fan out (each file including several others, many levels deep).
        var remaining = 256
        /// `file\u{0}keyword` of each ignored keyword already warned about.
        var warned: Set<String> = []
    }

    private func parse(_ source: SourceText, condition: SSHConfig.Condition, trail: inout IncludeTrail, into blocks: inout [SSHConfig.Block]) {
        blocks.append(SSHConfig.Block(condition: condition))
        var current = condition
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
                current = .host(line.arguments)
                blocks.append(SSHConfig.Block(condition: current))
            case "match":
                collector.report(point.warning("'Match' blocks are not supported; its settings are ignored"))
                current = .never
                blocks.append(SSHConfig.Block(condition: current))
            case "include":
                include(line.arguments, from: source, point: point, condition: current, trail: &trail, into: &blocks)
                blocks.append(SSHConfig.Block(condition: current))
            default:
                guard SSHConfigKeywords.honoured.contains(line.keyword) else {
                    if current != .never, let message = SSHConfigKeywords.warning(for: line.keyword),
                       trail.warned.insert(source.path + "\u{0}" + line.keyword).inserted {
                        collector.report(point.warning(message))
                    }
                    continue
                }
                guard validate(line.keyword, line.arguments, point: point, applies: current != .never) else { continue }
                blocks[blocks.count - 1].entries.append(SSHConfig.Entry(keyword: line.keyword, arguments: line.arguments, point: point))
            }
        }
    }

    /// One split line: keyword lowercased, its column, arguments with quotes removed.
    private struct Line {
        var keyword: String
        var column: Int
        var arguments: [String]
    }

    private func splitLine(_ raw: String, source: SourceText, lineNumber: Int) -> Line? {
        let scalars = Array(raw.unicodeScalars)
        var index = 0
        func isSpace(_ scalar: Unicode.Scalar) -> Bool { scalar == " " || scalar == "\t" }
        while index < scalars.count, isSpace(scalars[index]) { index += 1 }
        guard index < scalars.count, scalars[index] != "#" else { return nil }
        let column = index + 1
        var keyword = ""
        while index < scalars.count, !isSpace(scalars[index]), scalars[index] != "=" {
            keyword.unicodeScalars.append(scalars[index])
            index += 1
        }
        while index < scalars.count, isSpace(scalars[index]) { index += 1 }
        if index < scalars.count, scalars[index] == "=" { index += 1 }
        var arguments: [String] = []
        while index < scalars.count {
            while index < scalars.count, isSpace(scalars[index]) { index += 1 }
            guard index < scalars.count else { break }
            if scalars[index] == "#" { break }
            var argument = ""
            if scalars[index] == "\"" {
                let start = index
                index += 1
                while index < scalars.count, scalars[index] != "\"" {
                    argument.unicodeScalars.append(scalars[index])
                    index += 1
                }
                guard index < scalars.count else {
                    collector.report(source.diagnostic(.error, "unterminated quote", line: lineNumber, column: start + 1))
                    return nil
                }
                index += 1
            } else {
                while index < scalars.count, !isSpace(scalars[index]) {
                    argument.unicodeScalars.append(scalars[index])
                    index += 1
                }
            }
            arguments.append(argument)
        }
        return Line(keyword: keyword.lowercased(), column: column, arguments: arguments)
    }

    /// Checks one used keyword's arguments; reports and returns false when unusable.
    private func validate(_ keyword: String, _ arguments: [String], point: SourcePoint, applies: Bool) -> Bool {
        guard let first = arguments.first else {
            collector.report(point.error("missing value for '\(keyword)'"))
            return false
        }
        switch keyword {
        case "port":
            guard let port = Int(first), (1...65535).contains(port) else {
                collector.report(point.error("invalid port '\(first)' (expected 1...65535)"))
                return false
            }
        case "stricthostkeychecking":
            switch first.lowercased() {
            case "yes", "ask", "accept-new":
                break
            case "no", "off":
                if applies {
                    collector.report(point.warning("StrictHostKeyChecking \(first) is treated as 'yes': Cutover never disables host-key checking"))
                }
            default:
                collector.report(point.error("invalid StrictHostKeyChecking value '\(first)' (expected yes, ask, accept-new, no or off)"))
                return false
            }
        default:
            break
        }
        return true
    }

    /// Splices the blocks of included files, each starting under the including block's condition.
    ///
    /// Only regular files are read (not `/dev/zero` or a FIFO); a file that includes itself, more than
    /// 16 nested levels or more than 256 included files in all are errors, as in OpenSSH.
    private func include(
        _ patterns: [String], from source: SourceText, point: SourcePoint,
        condition: SSHConfig.Condition, trail: inout IncludeTrail, into blocks: inout [SSHConfig.Block]
    ) {
        guard trail.files.count <= 16 else {
            collector.report(point.error("too many nested 'Include' directives"))
            return
        }
        let base = (PathResolution.absolutePath(source.path) as NSString).deletingLastPathComponent
        let paths = PathResolution(baseDirectory: base, homeDirectory: home)
        for pattern in patterns {
            for file in expandGlob(paths.resolve(pattern)) {
                if trail.files.contains(Self.canonical(file)) {
                    collector.report(point.error("'Include \(pattern)' includes '\(file)', which is already being read (an include cycle)"))
                    continue
                }
                guard Self.isRegularFile(file) else {
                    collector.report(point.error("'Include \(pattern)' names '\(file)', which is not a regular file"))
                    continue
                }
                guard trail.remaining > 0 else {
                    collector.report(point.error("too many included files (more than 256 in all)"))
                    return
                }
                trail.remaining -= 1
                guard let included = try? SourceText.read(path: file) else { continue }
                trail.files.append(Self.canonical(file))
                parse(included, condition: condition, trail: &trail, into: &blocks)
                trail.files.removeLast()
            }
        }
    }

    /// The path with symlinks resolved, so a cycle is seen whatever the spelling.
    private static func canonical(_ path: String) -> String {
        (path as NSString).resolvingSymlinksInPath
    }

    /// Whether `path` is a regular file (following symlinks).
    private static func isRegularFile(_ path: String) -> Bool {
        var status = stat()
        return stat(path, &status) == 0 && (status.st_mode & S_IFMT) == S_IFREG
    }

    /// Files matching a path whose last component may contain `*` or `?`, sorted; missing files give nothing.
    private func expandGlob(_ path: String) -> [String] {
        let name = (path as NSString).lastPathComponent
        guard Glob.isPattern(name) else {
            return FileManager.default.fileExists(atPath: path) ? [path] : []
        }
        let directory = (path as NSString).deletingLastPathComponent
        let glob = Glob(pattern: name)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.filter { glob.matches($0) && !$0.hasPrefix(".") }.sorted()
            .map { (directory as NSString).appendingPathComponent($0) }
    }
}
