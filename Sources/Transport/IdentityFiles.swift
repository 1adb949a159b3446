import Foundation
import Synchronization

/// Identity files read once per process: what `PrivateKeyFile.inspect` learns and, for keys
/// Cutover can sign with itself, the signer. A run opens one session per host with the same few
/// identity files; reading and decoding them per host grew the runner's CPU with the fleet.
enum IdentityFiles {
    struct Entry: Sendable {
        var file: PrivateKeyFile?
        var signer: IdentitySigner?
        /// The file as it was read (device, inode, size, modification time): a file replaced
        /// during the run is read again.
        fileprivate var stamp: [Int]
    }

    private static let entries = Mutex<[String: Entry]>([:])

    static func load(_ path: String) -> Entry {
        let stamp = Self.stamp(path)
        if let known = entries.withLock({ $0[path] }), known.stamp == stamp { return known }
        let file = PrivateKeyFile.inspect(path: path)
        var signer: IdentitySigner?
        if let file, !file.isEncrypted, let data = FileManager.default.contents(atPath: path) {
            signer = OpenSSHPrivateKey.signer(pem: String(decoding: data, as: UTF8.self))
        }
        let entry = Entry(file: file, signer: signer, stamp: stamp)
        entries.withLock { $0[path] = entry }
        return entry
    }

    private static func stamp(_ path: String) -> [Int] {
        var info = stat()
        guard stat(path, &info) == 0 else { return [] }
        return [Int(info.st_dev), Int(info.st_ino), Int(info.st_size), info.st_mtim.tv_sec, info.st_mtim.tv_nsec]
    }
}
