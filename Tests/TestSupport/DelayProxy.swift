import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A TCP proxy on a loopback address that forwards to a test host and holds every chunk for
/// `delay` in each direction: a slow link (latency), not a dead one. Threads and blocking
/// sockets, so it never touches the Swift cooperative pool. ``stop()`` closes everything.
public final class DelayProxy: @unchecked Sendable {
    public let address: String
    public let port: Int
    public let target: (address: String, port: Int)
    public let delay: Duration

    private let listener: Int32
    private let lock = NSLock()
    private var sockets: Set<Int32> = []
    private var stopped = false

    /// Listens on `address:port` and forwards every connection to `target`.
    public init(address: String, port: Int, target: (address: String, port: Int), delay: Duration) throws {
        self.address = address
        self.port = port
        self.target = target
        self.delay = delay
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw TestSupportError("proxy: socket failed") }
        var on: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, socklen_t(MemoryLayout<Int32>.size))
        var addr = try Self.socketAddress(address, port)
        let bound = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 128) == 0 else {
            close(fd)
            throw TestSupportError("proxy: cannot listen on \(address):\(port): \(String(cString: strerror(errno)))")
        }
        listener = fd
        let thread = Thread { [self] in acceptLoop() }
        thread.name = "proxy \(address):\(port)"
        thread.start()
    }

    /// Closes the listener and every forwarded connection.
    public func stop() {
        let open: Set<Int32> = lock.withLock {
            stopped = true
            return sockets
        }
        Glibc.shutdown(listener, Int32(SHUT_RDWR))
        for fd in open { Glibc.shutdown(fd, Int32(SHUT_RDWR)) }
    }

    deinit {
        close(listener)
    }

    private func acceptLoop() {
        while true {
            let client = accept(listener, nil, nil)
            if client < 0 {
                if errno == EINTR { continue }
                return
            }
            _ = fcntl(client, F_SETFD, FD_CLOEXEC)
            guard let upstream = try? connectTarget() else {
                close(client)
                continue
            }
            let accepted = lock.withLock { () -> Bool in
                if stopped { return false }
                sockets.formUnion([client, upstream])
                return true
            }
            guard accepted else {
                close(client)
                close(upstream)
                continue
            }
            let both = Pair(a: client, b: upstream)
            pump(from: client, to: upstream, pair: both)
            pump(from: upstream, to: client, pair: both)
        }
    }

    private func connectTarget() throws -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw TestSupportError("proxy: socket failed") }
        var addr = try Self.socketAddress(target.address, target.port)
        let rc = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard rc == 0 else {
            close(fd)
            throw TestSupportError("proxy: cannot reach \(target.address):\(target.port)")
        }
        return fd
    }

    /// One direction: a reader thread queues chunks stamped with when they may go on, a writer
    /// thread sends each when its time comes. The queue is bounded, so a slow reader still
    /// pushes back on the sender.
    private func pump(from source: Int32, to destination: Int32, pair: Pair) {
        let queue = ChunkQueue(limit: 1 << 20)
        let delay = self.delay
        let reader = Thread {
            var buffer = [UInt8](repeating: 0, count: 64 * 1024)
            while true {
                let n = buffer.withUnsafeMutableBytes { read(source, $0.baseAddress, $0.count) }
                if n < 0 && errno == EINTR { continue }
                if n <= 0 {
                    queue.push(nil, due: .now + delay)
                    return
                }
                queue.push(Array(buffer[0..<n]), due: .now + delay)
            }
        }
        let writer = Thread { [self] in
            while true {
                let (chunk, due) = queue.pop()
                let wait = due - .now
                if wait > .zero { Thread.sleep(forTimeInterval: Double(wait.components.seconds) + Double(wait.components.attoseconds) / 1e18) }
                guard let chunk else { break }
                var offset = 0
                var failed = false
                while offset < chunk.count {
                    let n = chunk[offset...].withUnsafeBytes { send(destination, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                    if n < 0 && errno == EINTR { continue }
                    if n <= 0 { failed = true; break }
                    offset += n
                }
                if failed {
                    // The other side is gone: end both directions.
                    Glibc.shutdown(pair.a, Int32(SHUT_RDWR))
                    Glibc.shutdown(pair.b, Int32(SHUT_RDWR))
                    break
                }
            }
            Glibc.shutdown(destination, Int32(SHUT_WR))
            queue.close()
            pair.finishOne { [self] in
                lock.withLock { _ = sockets.remove(pair.a); _ = sockets.remove(pair.b) }
                close(pair.a)
                close(pair.b)
            }
        }
        reader.start()
        writer.start()
    }

    static func socketAddress(_ address: String, _ port: Int) throws -> sockaddr_in {
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        guard inet_pton(AF_INET, address, &addr.sin_addr) == 1 else { throw TestSupportError("proxy: bad address \(address)") }
        return addr
    }
}

/// Both sockets of one forwarded connection; closed when both directions are done.
private final class Pair: @unchecked Sendable {
    let a: Int32
    let b: Int32
    private let lock = NSLock()
    private var finished = 0

    init(a: Int32, b: Int32) {
        self.a = a
        self.b = b
    }

    func finishOne(_ closeBoth: () -> Void) {
        let last = lock.withLock { () -> Bool in
            finished += 1
            return finished == 2
        }
        if last { closeBoth() }
    }
}

/// A bounded FIFO of chunks (nil: end of stream) with the time each may be sent.
private final class ChunkQueue: @unchecked Sendable {
    private let condition = NSCondition()
    private var items: [(chunk: [UInt8]?, due: ContinuousClock.Instant)] = []
    private var bytes = 0
    private var closed = false
    let limit: Int

    init(limit: Int) {
        self.limit = limit
    }

    func push(_ chunk: [UInt8]?, due: ContinuousClock.Instant) {
        condition.lock()
        while bytes >= limit && !closed { condition.wait() }
        if !closed {
            items.append((chunk, due))
            bytes += chunk?.count ?? 0
        }
        condition.broadcast()
        condition.unlock()
    }

    func pop() -> (chunk: [UInt8]?, due: ContinuousClock.Instant) {
        condition.lock()
        defer { condition.unlock() }
        while items.isEmpty { condition.wait() }
        let item = items.removeFirst()
        bytes -= item.chunk?.count ?? 0
        condition.broadcast()
        return item
    }

    /// The writer is gone: a blocked reader must not wait for room any more.
    func close() {
        condition.lock()
        closed = true
        condition.broadcast()
        condition.unlock()
    }
}
