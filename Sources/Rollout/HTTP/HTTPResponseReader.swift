/// Reads one HTTP/1.x answer from the bytes of a connection, as they arrive, within limits:
/// a head of at most `headLimit` bytes and a body of at most `bodyLimit` bytes, framed by
/// `Content-Length`, chunked transfer coding or the end of the connection.
///
/// The body is kept as it came: a `Content-Encoding` (gzip, say) is reported, never decoded,
/// so a small compressed answer cannot grow in memory. Interim 1xx answers are skipped.
/// Pure: it does no I/O, so every framing is testable from bytes.
struct HTTPResponseReader {
    let bodyLimit: Int
    let headLimit: Int
    private var state = State.head([])
    private var status = 0
    private var headers: [(name: String, value: String)] = []
    private var body: [UInt8] = []

    private enum State {
        case head([UInt8])
        case length(remaining: Int)
        case chunkSize([UInt8])
        case chunkData(remaining: Int)
        case chunkDataEnd([UInt8])
        case trailers([UInt8], total: Int)
        case untilClose
        case done
    }

    init(bodyLimit: Int, headLimit: Int = 64 * 1024) {
        self.bodyLimit = bodyLimit
        self.headLimit = headLimit
    }

    /// The answer, once ``consume(_:)`` or ``finishAtClose()`` said it is complete.
    var response: HTTPGet.Response? {
        guard case .done = state else { return nil }
        return HTTPGet.Response(status: status, headers: headers, body: body)
    }

    /// Takes the next bytes; true once the answer is complete (later bytes are ignored).
    mutating func consume(_ bytes: some Collection<UInt8>) throws(HTTPGetError) -> Bool {
        var rest = Array(bytes)[...]
        while !rest.isEmpty {
            switch state {
            case .done:
                return true
            case .head(var buffer):
                let searchFrom = max(0, buffer.count - 3)
                buffer += rest
                rest = []
                guard let end = Self.headEnd(in: buffer, from: searchFrom) else {
                    if buffer.count > headLimit { throw HTTPGetError(.bodyTooLarge, "response head over \(Self.size(headLimit))") }
                    state = .head(buffer)
                    break
                }
                guard end.head <= headLimit else { throw HTTPGetError(.bodyTooLarge, "response head over \(Self.size(headLimit))") }
                rest = buffer[end.body...]
                try startBody(head: buffer[..<end.head])
            case .length(let remaining):
                let take = min(remaining, rest.count)
                try keep(rest.prefix(take))
                rest = rest.dropFirst(take)
                state = remaining - take == 0 ? .done : .length(remaining: remaining - take)
            case .chunkSize(var line):
                guard let newline = rest.firstIndex(of: UInt8(ascii: "\n")) else {
                    line += rest
                    rest = []
                    guard line.count <= 1024 else { throw HTTPGetError(.malformed, "chunk size line over 1 KiB") }
                    state = .chunkSize(line)
                    break
                }
                line += rest[..<newline]
                rest = rest[(newline + 1)...]
                let size = try Self.chunkSize(line)
                state = size == 0 ? .trailers([], total: 0) : .chunkData(remaining: size)
            case .chunkData(let remaining):
                let take = min(remaining, rest.count)
                try keep(rest.prefix(take))
                rest = rest.dropFirst(take)
                state = remaining - take == 0 ? .chunkDataEnd([]) : .chunkData(remaining: remaining - take)
            case .chunkDataEnd(var line):
                guard let newline = rest.firstIndex(of: UInt8(ascii: "\n")) else {
                    line += rest
                    rest = []
                    guard line.count <= 2 else { throw HTTPGetError(.malformed, "chunk not followed by a line end") }
                    state = .chunkDataEnd(line)
                    break
                }
                line += rest[..<newline]
                rest = rest[(newline + 1)...]
                guard line.isEmpty || line == [UInt8(ascii: "\r")] else { throw HTTPGetError(.malformed, "chunk not followed by a line end") }
                state = .chunkSize([])
            case .trailers(var line, let total):
                guard let newline = rest.firstIndex(of: UInt8(ascii: "\n")) else {
                    line += rest
                    rest = []
                    guard total + line.count <= headLimit else { throw HTTPGetError(.bodyTooLarge, "trailers over \(Self.size(headLimit))") }
                    state = .trailers(line, total: total)
                    break
                }
                line += rest[..<newline]
                rest = rest[(newline + 1)...]
                let total = total + line.count + 1
                guard total <= headLimit else { throw HTTPGetError(.bodyTooLarge, "trailers over \(Self.size(headLimit))") }
                state = line.isEmpty || line == [UInt8(ascii: "\r")] ? .done : .trailers([], total: total)
            case .untilClose:
                try keep(rest)
                rest = []
            }
        }
        if case .done = state { return true }
        return false
    }

    /// The server closed the connection: that ends a body framed by the close; any other
    /// unfinished answer is an error.
    mutating func finishAtClose() throws(HTTPGetError) {
        switch state {
        case .done: return
        case .untilClose: state = .done
        case .head(let buffer) where buffer.isEmpty: throw HTTPGetError(.closed, "the server closed the connection without an answer")
        default: throw HTTPGetError(.closed, "the server closed the connection before the answer was complete")
        }
    }

    private mutating func keep(_ bytes: ArraySlice<UInt8>) throws(HTTPGetError) {
        guard body.count + bytes.count <= bodyLimit else { throw HTTPGetError(.bodyTooLarge, "body over \(Self.size(bodyLimit))") }
        body += bytes
    }

    /// Parses the status line and headers and chooses how the body is framed.
    private mutating func startBody(head: ArraySlice<UInt8>) throws(HTTPGetError) {
        // Split on bytes: as a String, "\r\n" is one Character and "\n" would not split it.
        var lines = head.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map { line in
            String(decoding: line.last == UInt8(ascii: "\r") ? line.dropLast() : line, as: UTF8.self)
        }
        while lines.last?.isEmpty == true { lines.removeLast() }
        guard let statusLine = lines.first else { throw HTTPGetError(.malformed, "empty response head") }
        let parts = statusLine.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: true)
        guard parts.count >= 2, parts[0].hasPrefix("HTTP/1."), parts[1].count == 3, let code = Int(parts[1]), (100...599).contains(code) else {
            throw HTTPGetError(.malformed, "not an HTTP/1.x status line: \(statusLine.prefix(80))")
        }
        var fields: [(name: String, value: String)] = []
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":"), colon != line.startIndex else {
                throw HTTPGetError(.malformed, "malformed header line: \(line.prefix(80))")
            }
            fields.append((line[..<colon].lowercased(), line[line.index(after: colon)...].trimmingSpaces))
        }
        if (100...199).contains(code) && code != 101 {
            state = .head([])   // interim answer (100 Continue, 103 Early Hints): the real one follows
            return
        }
        status = code
        headers = fields
        let codings = fields.filter { $0.name == "transfer-encoding" }.map(\.value).joined(separator: ",")
            .split(separator: ",").map { $0.trimmingSpaces.lowercased() }
        let lengths = Set(fields.filter { $0.name == "content-length" }.map(\.value))
        if code == 204 || code == 304 || code == 101 {
            state = .done
        } else if !codings.isEmpty {
            guard codings.last == "chunked" else { throw HTTPGetError(.malformed, "unsupported transfer coding \(codings.joined(separator: ", "))") }
            state = .chunkSize([])
        } else if let length = lengths.first {
            guard lengths.count == 1, !length.isEmpty, length.count <= 18, length.allSatisfy(\.isASCIIDigit), let count = Int(length) else {
                throw HTTPGetError(.malformed, "invalid Content-Length \(lengths.sorted().joined(separator: ", "))")
            }
            guard count <= bodyLimit else { throw HTTPGetError(.bodyTooLarge, "body over \(Self.size(bodyLimit)) (Content-Length \(count))") }
            state = count == 0 ? .done : .length(remaining: count)
        } else {
            state = .untilClose
        }
    }

    /// Where the head ends (`\r\n\r\n` or `\n\n`) and the body begins.
    private static func headEnd(in buffer: [UInt8], from start: Int) -> (head: Int, body: Int)? {
        var index = start
        while index < buffer.count {
            if buffer[index] == UInt8(ascii: "\n") {
                if index + 1 < buffer.count, buffer[index + 1] == UInt8(ascii: "\n") { return (index + 1, index + 2) }
                if index + 2 < buffer.count, buffer[index + 1] == UInt8(ascii: "\r"), buffer[index + 2] == UInt8(ascii: "\n") { return (index + 1, index + 3) }
            }
            index += 1
        }
        return nil
    }

    /// A chunk-size line: hexadecimal digits, then optional `;extensions`.
    private static func chunkSize(_ line: [UInt8]) throws(HTTPGetError) -> Int {
        let text = String(decoding: line, as: UTF8.self)
        let digits = text.prefix { $0 != ";" }.trimmingSpaces
        guard !digits.isEmpty, digits.count <= 15, let size = Int(digits, radix: 16), size >= 0 else {
            throw HTTPGetError(.malformed, "invalid chunk size \(text.prefix(40))")
        }
        return size
    }

    /// `1 MiB`, `64 KiB`, `300 bytes`.
    static func size(_ bytes: Int) -> String {
        if bytes >= 1 << 20, bytes % (1 << 20) == 0 { return "\(bytes >> 20) MiB" }
        if bytes >= 1 << 10, bytes % (1 << 10) == 0 { return "\(bytes >> 10) KiB" }
        return "\(bytes) bytes"
    }
}

extension StringProtocol {
    /// Without leading and trailing spaces, tabs and carriage returns.
    fileprivate var trimmingSpaces: String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" }
        return String(drop(while: isSpace).reversed().drop(while: isSpace).reversed())
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}
