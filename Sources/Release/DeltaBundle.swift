import Crypto
import Foundation

/// The one file a delta push uploads: a plain tar holding `changes.tar` (the members that travel,
/// their records copied unchanged from the artifact), the lists the host script reads (`copy`,
/// `dirs` NUL-separated, `files` in the order of `sums`; `mode.<octal>` and `mtime.<seconds>` for the copied files) and what it
/// verifies the finished tree against (`tree`, `sums`, and `dgst`: `sums` as `openssl dgst -sha256 -r` prints them).
public enum DeltaBundle {
    /// What was written.
    public struct Written: Sendable, Hashable {
        public var path: String
        public var sha256: String
        public var size: Int64
    }

    /// Writes the bundle for `plan` from `artifact` to `path`.
    public static func write(_ plan: DeltaPlan, from artifact: Artifact, to path: String) throws(ArtifactError) -> Written {
        guard FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600]),
              let handle = FileHandle(forWritingAtPath: path) else {
            throw ArtifactError(.unreadable, "cannot write the delta bundle '\(path)'")
        }
        defer { try? handle.close() }
        var out = Output(handle: handle)
        func member(_ name: String, _ bytes: [UInt8]) throws(ArtifactError) {
            try out.write(header(name: name, size: Int64(bytes.count)))
            try out.write(bytes)
            try out.write([UInt8](repeating: 0, count: (512 - bytes.count % 512) % 512))
        }
        func nulList(_ paths: [String]) -> [UInt8] {
            paths.reduce(into: [UInt8]()) { $0 += Array($1.utf8); $0.append(0) }
        }
        try member("copy", nulList(plan.copied.map(\.path)))
        try member("dirs", nulList(plan.directories))
        try member("tree", Array(plan.tree.utf8))
        try member("sums", Array(plan.sums.utf8))
        try member("files", nulList(plan.files))
        try member("dgst", Array(plan.digests.utf8))
        for (mode, entries) in Dictionary(grouping: plan.copied, by: { ($0.mode ?? 0) & 0o7777 }).sorted(by: { $0.key < $1.key }) {
            try member("mode.0" + String(mode, radix: 8), nulList(entries.map(\.path)))
        }
        for (time, entries) in Dictionary(grouping: plan.copied, by: \.modified).sorted(by: { $0.key < $1.key }) {
            try member("mtime.\(time)", nulList(entries.map(\.path)))
        }
        // changes.tar: each travelling member's records, byte for byte, then the end-of-archive blocks.
        let ranges = plan.sent.map(\.range).sorted { $0.lowerBound < $1.lowerBound }
        let changesSize = ranges.reduce(Int64(1024)) { $0 + Int64($1.count) }
        try out.write(header(name: "changes.tar", size: changesSize))
        var offset: Int64 = 0, next = 0
        try ArtifactTarBytes.stream(path: artifact.path, format: artifact.format) { (bytes: UnsafeRawBufferPointer) throws(ArtifactError) in
            let start = offset
            offset += Int64(bytes.count)
            while next < ranges.count {
                let range = ranges[next]
                let low = max(range.lowerBound, start), high = min(range.upperBound, offset)
                if low < high {
                    try out.write(UnsafeRawBufferPointer(rebasing: bytes[Int(low - start)..<Int(high - start)]))
                }
                if range.upperBound <= offset { next += 1 } else { break }
            }
        }
        guard next == ranges.count else { throw ArtifactError(.corrupt, "the artifact changed while the delta was built") }
        try out.write([UInt8](repeating: 0, count: 1024 + Int((512 - changesSize % 512) % 512)))
        try out.write([UInt8](repeating: 0, count: 1024))
        try out.flush()
        return Written(path: path, sha256: out.hasher.finalize().map { String(format: "%02x", $0) }.joined(), size: out.size)
    }

    /// A ustar header for a regular file of the bundle (short ASCII names only).
    static func header(name: String, size: Int64) -> [UInt8] {
        var block = [UInt8](repeating: 0, count: 512)
        func put(_ text: String, at offset: Int) {
            for (index, byte) in text.utf8.enumerated() { block[offset + index] = byte }
        }
        put(name, at: 0)
        put("0000600", at: 100)
        put("0000000", at: 108)
        put("0000000", at: 116)
        put(octal(size, width: 11), at: 124)
        put(octal(0, width: 11), at: 136)
        put("        ", at: 148)
        block[156] = UInt8(ascii: "0")
        put("ustar", at: 257)
        put("00", at: 263)
        let sum = block.reduce(0) { $0 + Int($1) }
        put(octal(Int64(sum), width: 6), at: 148)
        block[154] = 0
        block[155] = UInt8(ascii: " ")
        return block
    }

    private static func octal(_ value: Int64, width: Int) -> String {
        let digits = String(value, radix: 8)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    /// Buffered writes that hash what they write.
    private struct Output {
        let handle: FileHandle
        var buffer: [UInt8] = []
        var hasher = SHA256()
        var size: Int64 = 0

        init(handle: FileHandle) {
            self.handle = handle
            buffer.reserveCapacity(1 << 20)
        }

        mutating func write(_ bytes: [UInt8]) throws(ArtifactError) {
            bytes.withUnsafeBytes { hasher.update(bufferPointer: $0) }
            buffer += bytes
            size += Int64(bytes.count)
            if buffer.count >= 1 << 20 { try flush() }
        }

        mutating func write(_ bytes: UnsafeRawBufferPointer) throws(ArtifactError) {
            hasher.update(bufferPointer: bytes)
            buffer.append(contentsOf: bytes)
            size += Int64(bytes.count)
            if buffer.count >= 1 << 20 { try flush() }
        }

        mutating func flush() throws(ArtifactError) {
            guard !buffer.isEmpty else { return }
            do {
                try handle.write(contentsOf: Data(buffer))
            } catch {
                throw ArtifactError(.unreadable, "cannot write the delta bundle: \(error.localizedDescription)")
            }
            buffer.removeAll(keepingCapacity: true)
        }
    }
}
