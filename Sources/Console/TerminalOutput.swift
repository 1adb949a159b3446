import Glibc
import Synchronization

/// stdout and stderr of the process, written a whole line at a time from any thread.
public final class TerminalOutput: Sendable {
    private let lock = Mutex(())

    public init() {}

    public func out(_ text: String) { write(text, to: 1) }
    public func err(_ text: String) { write(text, to: 2) }

    private func write(_ text: String, to fd: Int32) {
        var bytes = Array(text.utf8)
        if bytes.last != UInt8(ascii: "\n") { bytes.append(UInt8(ascii: "\n")) }
        lock.withLock { _ in
            var offset = 0
            while offset < bytes.count {
                let n = bytes[offset...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
                if n < 0 {
                    if errno == EINTR { continue }
                    return  // a closed pipe: nothing more we can say
                }
                offset += n
            }
        }
    }
}
