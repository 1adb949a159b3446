/// One stream of output (a remote command's stdout, say) redacted as it arrives in chunks, so
/// that a secret split across chunks (two writes on the host, two SSH packets) is hidden too.
///
/// A chunk's bytes are shown at once, except a tail that could still grow into a secret: it is
/// held back (never more than the longest secret form's length minus one bytes) until more data
/// or the end of the stream decides. Matching is on UTF-8 bytes, longest form first, against
/// every form ``SecretRedaction`` knows.
///
/// - Important: one value per stream, used from one thread at a time; call ``finish()`` when
///   the stream ends, or the held-back tail is never shown.
public struct SecretStream: Sendable {
    private var pending: [UInt8] = []

    public init() {}

    /// Takes a chunk; returns what can be shown now, redacted (possibly nothing).
    public mutating func append(_ chunk: [UInt8]) -> [UInt8] {
        pending += chunk
        let (shown, held) = Self.redact(pending, patterns: SecretRedaction.current.bytes, final: false)
        pending = held
        return shown
    }

    /// The end of the stream: whatever was held back, redacted.
    public mutating func finish() -> [UInt8] {
        defer { pending = [] }
        return Self.redact(pending, patterns: SecretRedaction.current.bytes, final: true).shown
    }

    /// `bytes` with every pattern (longest first) replaced by the mask; unless `final`, the tail
    /// from the first place where a pattern could begin but the bytes end first is held back.
    static func redact(_ bytes: [UInt8], patterns: [[UInt8]], final: Bool) -> (shown: [UInt8], held: [UInt8]) {
        guard !patterns.isEmpty else { return (bytes, []) }
        let mask = Array(SecretRedaction.mask.utf8)
        var shown: [UInt8] = []
        shown.reserveCapacity(bytes.count)
        var index = 0
        scan: while index < bytes.count {
            let rest = bytes[index...]
            let first = bytes[index]
            if !final {
                // A longer form may still be arriving: wait for it rather than mask a shorter one.
                for pattern in patterns where pattern.count > rest.count && pattern[0] == first {
                    if pattern.prefix(rest.count).elementsEqual(rest) { return (shown, Array(rest)) }
                }
            }
            for pattern in patterns where pattern.count <= rest.count && pattern[0] == first {
                if rest.prefix(pattern.count).elementsEqual(pattern) {
                    shown += mask
                    index += pattern.count
                    continue scan
                }
            }
            shown.append(bytes[index])
            index += 1
        }
        return (shown, [])
    }
}
