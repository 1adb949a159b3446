import Foundation
import Glibc
import Synchronization

/// A minimal HTTP/1.0 server on a loopback address, for `http:` health checks: it answers
/// every request with the status currently set. Runs on its own thread; ``stop()`` ends it.
public final class TinyHTTPServer: Sendable {
    public let address: String
    public let port: Int
    private let status = Atomic<Int>(200)
    private let running = Atomic<Bool>(true)
    private let socket: Int32
    private let body: Mutex<(@Sendable () -> String)?> = Mutex(nil)

    public init(address: String, port requested: Int = 0) throws {
        let fd = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw TestSupportError("socket failed") }
        var on: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, socklen_t(MemoryLayout<Int32>.size))
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = UInt16(requested).bigEndian
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

    /// Serves what `provider` returns (e.g. Prometheus metrics) instead of a status line.
    public func serve(_ provider: @escaping @Sendable () -> String) { body.withLock { $0 = provider } }

    /// The status every following request gets.
    public func respond(with code: Int) { status.store(code, ordering: .relaxed) }

    public func stop() {
        running.store(false, ordering: .relaxed)
        shutdown(socket, Int32(SHUT_RDWR))
        close(socket)
    }

    private func serve() {
        while running.load(ordering: .relaxed) {
            let client = accept(socket, nil, nil)
            if client < 0 { if running.load(ordering: .relaxed) { continue } else { return } }
            var buffer = [UInt8](repeating: 0, count: 4096)
            _ = read(client, &buffer, buffer.count)
            let code = status.load(ordering: .relaxed)
            let body = self.body.withLock { $0 }?() ?? "status \(code)\n"
            let response = "HTTP/1.0 \(code) X\r\nContent-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n\(body)"
            _ = response.withCString { write(client, $0, strlen($0)) }
            close(client)
        }
    }
}
