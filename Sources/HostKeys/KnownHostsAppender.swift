import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Serialises accept-new appends to a known_hosts file, within this process and across processes.
///
/// Callers re-read the files inside `withExclusiveAccess` so a host raced in by another thread or
/// process is seen before appending, and the same host is never appended twice.
enum KnownHostsAppender {
    /// The process-wide lock; `flock` alone does not order threads sharing one process reliably.
    private static let lock = NSLock()

    /// An open, exclusively locked known_hosts file.
    struct LockedFile {
        /// The file's path.
        let path: String
        /// The open descriptor (O_APPEND), valid only inside `withExclusiveAccess`.
        fileprivate let descriptor: Int32

        /// Appends `line` plus a newline with O_APPEND, first adding a newline if the file does not end with one.
        func append(line: String) throws(HostKeyError) {
            var bytes = Array(line.utf8) + [UInt8(ascii: "\n")]
            if try !endsWithNewline() { bytes.insert(UInt8(ascii: "\n"), at: 0) }
            var written = 0
            while written < bytes.count {
                let result = bytes[written...].withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
                if result < 0 {
                    if errno == EINTR { continue }
                    throw KnownHostsAppender.failure("cannot append to", path)
                }
                written += result
            }
        }

        /// True if the file is empty or its last byte is a newline.
        private func endsWithNewline() throws(HostKeyError) -> Bool {
            var info = stat()
            guard fstat(descriptor, &info) == 0 else { throw KnownHostsAppender.failure("cannot stat", path) }
            guard info.st_size > 0 else { return true }
            var last: UInt8 = 0
            guard pread(descriptor, &last, 1, info.st_size - 1) == 1 else { return false }
            return last == UInt8(ascii: "\n")
        }
    }

    /// Opens (creating with mode 0600, parent 0700, if missing) and locks `path`, then runs `body`.
    static func withExclusiveAccess<T>(
        to path: String, _ body: (LockedFile) throws(HostKeyError) -> T
    ) throws(HostKeyError) -> T {
        lock.lock()
        defer { lock.unlock() }
        try createParentDirectory(of: path)
        let descriptor = open(path, O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw failure("cannot open", path) }
        defer { close(descriptor) }
        while flock(descriptor, LOCK_EX) != 0 {
            guard errno == EINTR else { throw failure("cannot lock", path) }
        }
        defer { flock(descriptor, LOCK_UN) }
        return try body(LockedFile(path: path, descriptor: descriptor))
    }

    /// Creates the parent directory with mode 0700 when it does not exist.
    private static func createParentDirectory(of path: String) throws(HostKeyError) {
        let parent = (path as NSString).deletingLastPathComponent
        guard !parent.isEmpty, !FileManager.default.fileExists(atPath: parent) else { return }
        do {
            try FileManager.default.createDirectory(
                atPath: parent, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw HostKeyError(code: .io, description: "cannot create directory \(parent): \(error.localizedDescription)")
        }
    }

    /// An io error naming the failed action, the path and the current errno.
    fileprivate static func failure(_ action: String, _ path: String) -> HostKeyError {
        HostKeyError(code: .io, description: "\(action) known_hosts file \(path): \(String(cString: strerror(errno)))")
    }
}
