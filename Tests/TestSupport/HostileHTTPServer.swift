import Foundation
import Glibc
import Synchronization

/// An HTTP server on a loopback address that answers the way a broken or hostile endpoint
/// does, for the runner's own HTTP checks: one byte a second, a compressed body far larger
/// than any answer should be, a body with no end, or a redirect elsewhere. Each connection is served on its own
/// thread for at most a minute; ``stop()`` ends them all. Counts the requests it received.
public final class HostileHTTPServer: Sendable {
    /// What every request gets.
    public enum Answer: Sendable {
        /// `HTTP/1.1 200 OK` at once, then a 300-byte body, one byte per `interval`.
        case drip(interval: Duration)
        /// `Content-Encoding: gzip`, chunked: `members` gzip members back to back, each 64 MiB
        /// of zeros (about 290 KiB on the wire, 64 MiB decoded).
        case gzipBomb(members: Int)
        /// `302 Found` with `Location: location`.
        case redirect(to: String)
        /// `200 OK` and `body`.
        case body(String)
        /// `200 OK` with no length (the body ends when the connection does), then zeros until
        /// the client hangs up, a minute passes or `limit` bytes were sent.
        case endless(limit: Int)
    }

    public let address: String
    public let port: Int
    private let answer: Answer
    private let socket: Int32
    private let running = Atomic<Bool>(true)
    private let received = Atomic<Int>(0)
    private let clients = Mutex<Set<Int32>>([])

    public init(address: String, answer: Answer) throws {
        let fd = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw TestSupportError("socket failed") }
        var on: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, socklen_t(MemoryLayout<Int32>.size))
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
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
        self.answer = answer
        port = Int(UInt16(bigEndian: addr.sin_port))
        socket = fd
        // The bomb's member is made now (gzip of 64 MiB, seconds on a loaded machine), not while
        // a test is timing the request.
        if case .gzipBomb = answer { _ = Self.gzippedZeros }
        Thread { [self] in acceptLoop() }.start()
    }

    /// `http://address:port/path`.
    public func url(_ path: String = "/health") -> String { "http://\(address):\(port)\(path)" }

    /// Requests whose head arrived so far.
    public var requests: Int { received.load(ordering: .relaxed) }

    public func stop() {
        running.store(false, ordering: .relaxed)
        shutdown(socket, Int32(SHUT_RDWR))
        close(socket)
        for client in clients.withLock({ $0 }) { shutdown(client, Int32(SHUT_RDWR)) }
    }

    private func acceptLoop() {
        while running.load(ordering: .relaxed) {
            let client = accept(socket, nil, nil)
            if client < 0 { continue }
            clients.withLock { _ = $0.insert(client) }
            Thread { [self] in
                serve(client)
                clients.withLock { _ = $0.remove(client) }
                close(client)
            }.start()
        }
    }

    private func serve(_ client: Int32) {
        var head: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while !head.ends(with: Array("\r\n\r\n".utf8)) && head.count < 65536 {
            let n = read(client, &buffer, buffer.count)
            if n <= 0 { return }
            head += buffer[0..<n]
        }
        received.add(1, ordering: .relaxed)
        let until = ContinuousClock.now + .seconds(60)
        switch answer {
        case .drip(let interval):
            guard send(client, Array("HTTP/1.1 200 OK\r\nContent-Length: 300\r\nConnection: close\r\n\r\n".utf8)) else { return }
            for _ in 0..<300 {
                Thread.sleep(forTimeInterval: Double(interval.components.seconds) + Double(interval.components.attoseconds) / 1e18)
                guard running.load(ordering: .relaxed), ContinuousClock.now < until, send(client, [UInt8(ascii: "x")]) else { return }
            }
        case .gzipBomb(let members):
            let member = Self.gzippedZeros
            guard send(client, Array("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Encoding: gzip\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n".utf8)) else { return }
            for _ in 0..<members {
                guard running.load(ordering: .relaxed), ContinuousClock.now < until,
                      send(client, Array((String(member.count, radix: 16) + "\r\n").utf8) + member + Array("\r\n".utf8)) else { return }
            }
            _ = send(client, Array("0\r\n\r\n".utf8))
        case .redirect(let location):
            _ = send(client, Array("HTTP/1.1 302 Found\r\nLocation: \(location)\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".utf8))
        case .body(let text):
            _ = send(client, Array("HTTP/1.1 200 OK\r\nContent-Length: \(text.utf8.count)\r\nConnection: close\r\n\r\n\(text)".utf8))
        case .endless(let limit):
            guard send(client, Array("HTTP/1.1 200 OK\r\nContent-Type: application/gzip\r\nConnection: close\r\n\r\n".utf8)) else { return }
            let zeros = [UInt8](repeating: 0, count: 65536)
            var sent = 0
            while sent < limit, running.load(ordering: .relaxed), ContinuousClock.now < until, send(client, zeros) { sent += zeros.count }
        }
    }

    private func send(_ client: Int32, _ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            // MSG_NOSIGNAL: a client that hung up must not kill the test process with SIGPIPE.
            let n = bytes[offset...].withUnsafeBytes { Glibc.send(client, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { return false }
            offset += n
        }
        return true
    }

    /// One gzip member holding 64 MiB of zeros (about 290 KiB), made once with the system's gzip.
    private static let gzippedZeros: [UInt8] = {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "head -c 67108864 /dev/zero | gzip -1"]
        let pipe = Pipe()
        process.standardOutput = pipe
        try? process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Array(data)
    }()
}

extension Array where Element == UInt8 {
    fileprivate func ends(with suffix: [UInt8]) -> Bool {
        count >= suffix.count && Array(self[(count - suffix.count)...]) == suffix
    }
}
