import CZlib

/// Streams gzip data through zlib into a fixed output buffer; handles concatenated members.
struct GzipInflater {
    private final class Stream {
        var z = z_stream()
        var open = false

        deinit {
            if open { inflateEnd(&z) }
        }
    }

    private let stream = Stream()
    private var output = [UInt8](repeating: 0, count: 64 * 1024)
    /// Decompressed bytes produced so far.
    private(set) var totalOut: Int64 = 0
    /// Whether the last member ended cleanly and no partial member follows.
    private(set) var finished = false

    init() throws(ArtifactError) {
        guard cutover_inflate_init_gzip(&stream.z) == Z_OK else {
            throw ArtifactError(.corrupt, "cannot initialise zlib")
        }
        stream.open = true
    }

    /// Inflates one chunk of compressed bytes, passing each piece of output to `sink`.
    mutating func inflate(_ input: some Sequence<UInt8>, into sink: (UnsafeRawBufferPointer) throws(ArtifactError) -> Void) throws(ArtifactError) {
        var bytes = Array(input)
        if bytes.isEmpty { return }
        let stream = self.stream
        var produced: Int64 = 0
        var ended = finished
        var failure: ArtifactError?
        bytes.withUnsafeMutableBufferPointer { inBuffer in
            output.withUnsafeMutableBufferPointer { outBuffer in
                stream.z.next_in = inBuffer.baseAddress
                stream.z.avail_in = UInt32(inBuffer.count)
                while stream.z.avail_in > 0 || !ended {
                    if ended {
                        guard inflateReset(&stream.z) == Z_OK else {
                            failure = ArtifactError(.corrupt, "cannot reset zlib")
                            return
                        }
                        ended = false
                    }
                    stream.z.next_out = outBuffer.baseAddress
                    stream.z.avail_out = UInt32(outBuffer.count)
                    let status = CZlib.inflate(&stream.z, Z_NO_FLUSH)
                    let count = outBuffer.count - Int(stream.z.avail_out)
                    if count > 0 {
                        produced += Int64(count)
                        do throws(ArtifactError) {
                            try sink(UnsafeRawBufferPointer(start: outBuffer.baseAddress, count: count))
                        } catch {
                            failure = error
                            return
                        }
                    }
                    switch status {
                    case Z_STREAM_END:
                        ended = true
                        if stream.z.avail_in == 0 { return }
                    case Z_OK:
                        if stream.z.avail_in == 0 && stream.z.avail_out > 0 { return }
                    case Z_BUF_ERROR:
                        return
                    default:
                        failure = ArtifactError(.corrupt, "invalid gzip data")
                        return
                    }
                }
            }
        }
        totalOut += produced
        finished = ended
        if let failure { throw failure }
    }
}
