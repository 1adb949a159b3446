import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// known_hosts files parsed once per process and re-read only when they change on disk.
///
/// Each lookup costs one `stat`: a file whose device, inode, size, mtime and ctime are those of the
/// cached snapshot is not read again. A missing file is empty and is not cached.
///
/// - Important: Thread-safe. A file is parsed under the lock, so sessions that start together wait
///   for one parse instead of each parsing the file.
final class KnownHostsCache: Sendable {
    /// The cache every `HostKeyVerifier` uses unless a test gives it its own.
    static let shared = KnownHostsCache()

    /// What tells one version of a file from another without reading it.
    struct FileIdentity: Sendable, Hashable {
        var device: UInt64
        var inode: UInt64
        var size: Int64
        var modified: Int
        var modifiedNanoseconds: Int
        var changed: Int
        var changedNanoseconds: Int
    }

    /// A parsed file and the version it was parsed from.
    private struct Snapshot {
        var identity: FileIdentity
        var index: KnownHostsIndex
        /// How many newline bytes the file holds.
        var newlines: Int
        /// Whether the file is empty or ends with a newline (else an append first writes one).
        var endsWithNewline: Bool
    }

    /// The cached snapshots by expanded path, and how many files were parsed.
    private struct State {
        var snapshots: [String: Snapshot] = [:]
        var parses = 0
    }

    /// More paths than a run uses; past it the cache starts over rather than grow without bound.
    private static let capacity = 256

    private let state = Mutex(State())

    init() {}

    /// How many times a file was read and parsed (not served from the cache).
    var parseCount: Int { state.withLock { $0.parses } }

    /// The indexed contents of the file at `path` (`~` is expanded); a missing file is empty.
    func index(path: String) throws(HostKeyError) -> KnownHostsIndex {
        let expanded = KnownHostsFile.expandedPath(path)
        return try state.withLock { state throws(HostKeyError) -> KnownHostsIndex in
            guard let identity = Self.identity(of: expanded) else {
                state.snapshots[expanded] = nil
                return KnownHostsIndex(KnownHostsFile(path: expanded, contents: ""))
            }
            if let snapshot = state.snapshots[expanded], snapshot.identity == identity {
                return snapshot.index
            }
            // Read after the stat: a write in between leaves newer text under an older identity,
            // which the next lookup sees as changed and reads again.
            let data = try KnownHostsFile.contents(ofExpanded: expanded) ?? Data()
            let index = KnownHostsIndex(KnownHostsFile(path: expanded, contents: String(decoding: data, as: UTF8.self)))
            state.parses += 1
            if state.snapshots[expanded] == nil, state.snapshots.count >= Self.capacity {
                state.snapshots.removeAll()
            }
            state.snapshots[expanded] = Snapshot(
                identity: identity, index: index,
                newlines: data.reduce(0) { $1 == UInt8(ascii: "\n") ? $0 + 1 : $0 },
                endsWithNewline: data.last.map { $0 == UInt8(ascii: "\n") } ?? true)
            return index
        }
    }

    /// Adds a line Cutover has just appended to `path` (with `KnownHostsAppender`, under its lock) to
    /// the cached snapshot, so the next lookup does not read the file again.
    ///
    /// The snapshot is kept only when the file grew by exactly the appended bytes since it was read;
    /// otherwise it is dropped and the next lookup reads the file.
    func recordAppend(path: String, line: String) {
        let expanded = KnownHostsFile.expandedPath(path)
        state.withLock { state in
            guard let snapshot = state.snapshots[expanded], let now = Self.identity(of: expanded) else { return }
            if snapshot.identity == now { return }
            state.snapshots[expanded] = nil
            let added = line.utf8.count + (snapshot.endsWithNewline ? 1 : 2)
            guard now.device == snapshot.identity.device, now.inode == snapshot.identity.inode,
                  now.size == snapshot.identity.size + Int64(added) else { return }
            let number = snapshot.newlines + (snapshot.endsWithNewline ? 1 : 2)
            guard case .entry(let entry) = KnownHostsLineParser.parse(Substring(line), line: number) else { return }
            state.snapshots[expanded] = Snapshot(
                identity: now, index: snapshot.index.appending(entry), newlines: number, endsWithNewline: true)
        }
    }

    /// The file's identity, or nil when it cannot be stat'ed (treated as missing, as `load` does).
    private static func identity(of path: String) -> FileIdentity? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        #if canImport(Darwin)
        let modified = info.st_mtimespec, changed = info.st_ctimespec
        #else
        let modified = info.st_mtim, changed = info.st_ctim
        #endif
        return FileIdentity(
            device: UInt64(info.st_dev), inode: UInt64(info.st_ino), size: Int64(info.st_size),
            modified: Int(modified.tv_sec), modifiedNanoseconds: Int(modified.tv_nsec),
            changed: Int(changed.tv_sec), changedNanoseconds: Int(changed.tv_nsec))
    }
}
