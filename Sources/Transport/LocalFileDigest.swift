import Crypto
import Glibc

/// The sha256 of a local file, read in fixed-size chunks (bounded memory).
public enum LocalFileDigest {
    public static func sha256(path: String) throws(SSHError) -> String {
        let file = open(path, O_RDONLY | O_CLOEXEC)
        guard file >= 0 else { throw SSHError(.localFile, "cannot read \(path): \(String(cString: strerror(errno)))") }
        defer { close(file) }
        var hasher = SHA256()
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 1)
        defer { buffer.deallocate() }
        while true {
            let n = read(file, buffer.baseAddress, buffer.count)
            if n < 0 {
                if errno == EINTR { continue }
                throw SSHError(.localFile, "reading \(path) failed: \(String(cString: strerror(errno)))")
            }
            if n == 0 { break }
            hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
        }
        return hasher.finalize().hexString
    }
}
