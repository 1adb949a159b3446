import Foundation

/// The text of one configuration file, split into lines so diagnostics can quote them.
public struct SourceText: Sendable {
    /// The path used in diagnostics.
    public var path: String
    /// The whole text.
    public var text: String
    /// The text split on newlines (a trailing `\r` removed), index 0 is line 1.
    public var lines: [String]

    /// Wraps text that was read elsewhere (tests, standard input).
    public init(path: String, text: String) {
        self.path = path
        self.text = text
        // Split on scalars, not Characters: Swift reads "\r\n" as one Character, which a split on
        // "\n" never finds, so a CRLF file would be one long line.
        self.lines = text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            line.last == "\r" ? String(String.UnicodeScalarView(line.dropLast())) : String(String.UnicodeScalarView(line))
        }
    }

    /// Reads a UTF-8 file; a missing or unreadable file is an error diagnostic without location.
    /// A named pipe (`-i <(generate-inventory)`, which the shell passes as `/dev/fd/N`) is read
    /// to its end, once: at most ``pipeLimit`` bytes.
    public static func read(path: String) throws(DiagnosticError) -> SourceText {
        let contents = isPipe(path) ? try readPipe(path) : FileManager.default.contents(atPath: path)
        guard let data = contents else {
            let exists = FileManager.default.fileExists(atPath: path)
            throw DiagnosticError(.error(exists ? "cannot read '\(path)'" : "no such file '\(path)'"))
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw DiagnosticError(.error("'\(path)' is not valid UTF-8"))
        }
        return SourceText(path: path, text: text)
    }

    /// Line `number` of the file at `path`, read again to quote it in a diagnostic; nil when it
    /// cannot be read, and for a pipe: its text went to the first read, and another would wait
    /// for a writer that may never come.
    public static func quotedLine(_ number: Int, path: String) -> String? {
        guard !isPipe(path) else { return nil }
        return (try? read(path: path))?.line(number)
    }

    /// The most a configuration read from a pipe may hold.
    public static let pipeLimit = 64 << 20

    private static func isPipe(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFIFO
    }

    /// A pipe's bytes to its end (nil when it cannot be opened or read); a pipe that goes on
    /// past ``pipeLimit`` is an error rather than a run that never ends.
    private static func readPipe(_ path: String) throws(DiagnosticError) -> Data? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        var data = Data()
        while true {
            let chunk: Data?
            do { chunk = try handle.read(upToCount: 1 << 16) } catch { return nil }
            // Nothing (nil or empty) is the pipe's end.
            guard let chunk, !chunk.isEmpty else { return data }
            data.append(chunk)
            if data.count > pipeLimit {
                throw DiagnosticError(.error("'\(path)' is a pipe that gave more than \(pipeLimit >> 20) MiB; a configuration file is smaller"))
            }
        }
    }

    /// The text of a 1-based line, or `nil` past the end.
    public func line(_ number: Int) -> String? {
        lines.indices.contains(number - 1) ? lines[number - 1] : nil
    }

    /// A location in this file.
    public func location(line: Int, column: Int) -> SourceLocation {
        SourceLocation(file: path, line: line, column: column)
    }

    /// A diagnostic pointing at a line and column of this file, quoting the line.
    public func diagnostic(_ severity: Diagnostic.Severity, _ message: String, line: Int, column: Int) -> Diagnostic {
        Diagnostic(severity: severity, message: message, location: location(line: line, column: column), sourceLine: self.line(line))
    }
}
