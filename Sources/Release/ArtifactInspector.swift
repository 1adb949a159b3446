import CZlib
import Crypto
import Foundation

/// Validates a release artifact in one streaming pass: digest, gzip, tar structure and safety rules.
public enum ArtifactInspector {
    /// Bytes read from the file (and inflated) per step.
    static let chunkSize = 64 * 1024

    /// Reads the whole file once with fixed buffers and returns its description, or why it must not be deployed.
    ///
    /// - Parameter allowSpecialModes: lets set-uid, set-gid, sticky and group- or other-writable
    ///   modes pass (the playbook's `artifact_modes: preserve`); by default they are `unsafeMode`.
    public static func inspect(path: String, limits: ArtifactLimits = .init(), allowSpecialModes: Bool = false) throws(ArtifactError) -> Artifact {
        var isDirectory: ObjCBool = false
        guard let handle = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
                ? nil : FileHandle(forReadingAtPath: path) else {
            // Say why (no such file, permission, a directory) and where, without `..` detours.
            let shown = URL(fileURLWithPath: path).standardizedFileURL.path
            let what = !FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) ? "no such file"
                : isDirectory.boolValue ? "it is a directory"
                : !FileManager.default.isReadableFile(atPath: path) ? "permission denied" : "it cannot be opened"
            throw ArtifactError(.unreadable, "cannot open artifact '\(shown)': \(what)")
        }
        defer { try? handle.close() }
        let fileSize = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.int64Value ?? 0
        var hasher = SHA256()
        var tar = TarStream(limits: limits, allowSpecialModes: allowSpecialModes)
        var inflater: GzipInflater?
        var format = ArtifactFormat.tar
        var first = true
        var bytesRead: Int64 = 0
        var inflated: Int64 = 0
        while true {
            let chunk: Data
            do {
                chunk = try handle.read(upToCount: chunkSize) ?? Data()
            } catch {
                throw ArtifactError(.unreadable, "cannot read artifact '\(path)': \(error.localizedDescription)")
            }
            if chunk.isEmpty { break }
            hasher.update(data: chunk)
            bytesRead += Int64(chunk.count)
            if first {
                first = false
                if chunk.count >= 2, chunk[chunk.startIndex] == 0x1f, chunk[chunk.startIndex + 1] == 0x8b {
                    format = .tarGzip
                    inflater = try GzipInflater()
                }
            }
            if var active = inflater {
                // Checked on every piece of output: one 64 KiB chunk of a bomb inflates to ~64 MiB.
                let ratioLimit = Int64(limits.maxCompressionRatio) * max(fileSize, 1)
                try active.inflate(chunk) { (bytes: UnsafeRawBufferPointer) throws(ArtifactError) in
                    inflated += Int64(bytes.count)
                    if inflated > 1 << 20, inflated > ratioLimit {
                        throw ArtifactError(.bomb, "compression ratio above \(limits.maxCompressionRatio):1 (\(inflated) bytes from \(fileSize))")
                    }
                    try tar.consume(bytes)
                }
                inflater = active
            } else {
                var failure: ArtifactError?
                chunk.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) in
                    do throws(ArtifactError) {
                        try tar.consume(bytes)
                    } catch {
                        failure = error
                    }
                }
                if let failure { throw failure }
            }
        }
        if let inflater, !inflater.finished {
            throw ArtifactError(.corrupt, "the gzip stream is truncated")
        }
        try tar.finish()
        let digest = hasher.finalize().map { String(format: "%02x", $0) }.joined()
        return Artifact(path: path, sha256: digest, size: bytesRead, entryCount: tar.entryCount, format: format,
                        buildTime: ArtifactBuildTime(stamp: tar.buildStamp, newestModified: tar.newestModified))
    }
}
