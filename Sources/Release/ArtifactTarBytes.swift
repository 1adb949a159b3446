import Foundation

/// Streams the uncompressed tar bytes of an artifact (inflating a tar.gz) in bounded chunks.
enum ArtifactTarBytes {
    /// Calls `body` with each piece of the tar stream in order.
    static func stream(path: String, format: ArtifactFormat,
                       _ body: (UnsafeRawBufferPointer) throws(ArtifactError) -> Void) throws(ArtifactError) {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw ArtifactError(.unreadable, "cannot open artifact '\(path)'")
        }
        defer { try? handle.close() }
        var inflater: GzipInflater? = format == .tarGzip ? try GzipInflater() : nil
        while true {
            let chunk: Data
            do {
                chunk = try handle.read(upToCount: ArtifactInspector.chunkSize) ?? Data()
            } catch {
                throw ArtifactError(.unreadable, "cannot read artifact '\(path)': \(error.localizedDescription)")
            }
            if chunk.isEmpty { break }
            if var active = inflater {
                try active.inflate(chunk, into: body)
                inflater = active
            } else {
                var failure: ArtifactError?
                chunk.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) in
                    do throws(ArtifactError) { try body(bytes) } catch { failure = error }
                }
                if let failure { throw failure }
            }
        }
    }
}
