public import Foundation
import Glibc
import Synchronization

/// A webhook receiver on a loopback address: reads each request whole (head and
/// `Content-Length` body), keeps it, and answers with the status currently set. Runs on its
/// own thread; ``stop()`` ends it.
public final class WebhookReceiver: Sendable {
    /// One request as received.
    public struct Request: Sendable {
        public var method: String
        public var target: String
        public var headers: [String: String]
        public var body: Data

        /// The body as a JSON object, when it is one.
        public var json: [String: Any]? { try? JSONSerialization.jsonObject(with: body) as? [String: Any] }
    }

    public let address: String
    public let port: Int
    private let status = Atomic<Int>(200)
    private let running = Atomic<Bool>(true)
    private let socket: Int32
    private let received = Mutex<[Request]>([])

    public init(address: String = "127.0.0.1") throws {
        let fd = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw TestSupportError("socket failed") }
        var on: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, socklen_t(MemoryLayout<Int32>.size))
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = 0
        inet_pton(AF_INET, address, &addr.sin_addr)
        let bound = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 16) == 0 else { close(fd); throw TestSupportError("bind \(address) failed") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        self.address = address
        port = Int(UInt16(bigEndian: addr.sin_port))
        socket = fd
        let thread = Thread { [self] in serve() }
        thread.start()
    }

    /// `http://ADDRESS:PORT` + `path`.
    public func url(_ path: String = "/") -> String { "http://\(address):\(port)\(path)" }

    /// The status every following request gets.
    public func respond(with code: Int) { status.store(code, ordering: .relaxed) }

    /// Every request so far, in arrival order.
    public var requests: [Request] { received.withLock { $0 } }

    public func stop() {
        running.store(false, ordering: .relaxed)
        shutdown(socket, Int32(SHUT_RDWR))
        close(socket)
    }

    private func serve() {
        while running.load(ordering: .relaxed) {
            let client = accept(socket, nil, nil)
            if client < 0 { if running.load(ordering: .relaxed) { continue } else { return } }
            var timeout = timeval(tv_sec: 5, tv_usec: 0)
            setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            if let request = read(client) { received.withLock { $0.append(request) } }
            let code = status.load(ordering: .relaxed)
            let response = "HTTP/1.1 \(code) X\r\nContent-Length: 3\r\nConnection: close\r\n\r\nok\n"
            _ = response.withCString { write(client, $0, strlen($0)) }
            close(client)
        }
    }

    private func read(_ client: Int32) -> Request? {
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 16 * 1024)
        var headEnd: Int?
        var expected = 0
        while true {
            if let end = headEnd, bytes.count >= end + expected { break }
            let count = Glibc.read(client, &buffer, buffer.count)
            if count <= 0 { break }
            bytes += buffer[0..<count]
            if headEnd == nil, let range = Data(bytes).range(of: Data("\r\n\r\n".utf8)) {
                headEnd = range.upperBound
                let head = String(decoding: bytes[0..<range.lowerBound], as: UTF8.self)
                for line in head.split(separator: "\r\n").dropFirst() where line.lowercased().hasPrefix("content-length:") {
                    expected = Int(line.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) ?? 0
                }
            }
        }
        guard let end = headEnd else { return nil }
        let head = String(decoding: bytes[0..<(end - 4)], as: UTF8.self).split(separator: "\r\n").map(String.init)
        let requestLine = head.first?.split(separator: " ").map(String.init) ?? []
        var headers: [String: String] = [:]
        for line in head.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return Request(method: requestLine.first ?? "", target: requestLine.count > 1 ? requestLine[1] : "",
                       headers: headers, body: Data(bytes[end..<min(bytes.count, end + expected)]))
    }
}
