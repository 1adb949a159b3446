/// Deterministic mutations of a valid input file, for robustness tests of loaders: whatever
/// comes out, a loader must answer with a value or a diagnostic, never crash or hang.
public struct InputMutator {
    private var state: UInt64

    public init(seed: UInt64) {
        state = seed == 0 ? 0x9E37_79B9_7F4A_7C15 : seed
    }

    /// SplitMix64: small, fast, reproducible.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    private mutating func below(_ n: Int) -> Int { n <= 1 ? 0 : Int(next() % UInt64(n)) }

    /// Tokens that stress YAML, INI, shell and path handling.
    static let tokens: [String] = [
        ":", ": ", "- ", "{", "}", "[", "]", "\"", "'", "#", "&a", "*a", "!!binary", "|", ">", "\t", "\n", "\n  ",
        "%", "@", "`", "$(x)", ";", "..", "/", "\\", "=", "[g:vars]", "[g:children]", "Host *", "\u{0}", "\u{FEFF}",
        "ü", "🚀", "-1", "99999999999999999999", "1e309", "null", "~", "true", "0x1F", "<<: *a",
    ]

    /// One mutated variant of `text`.
    public mutating func mutate(_ text: String) -> String {
        var bytes = Array(text.utf8)
        for _ in 0...below(4) {
            switch below(6) {
            case 0 where !bytes.isEmpty:  // delete a run
                let start = below(bytes.count)
                bytes.removeSubrange(start..<min(bytes.count, start + 1 + below(12)))
            case 1:  // insert a token
                bytes.insert(contentsOf: Array(Self.tokens[below(Self.tokens.count)].utf8), at: below(bytes.count + 1))
            case 2 where !bytes.isEmpty:  // duplicate a run
                let start = below(bytes.count)
                let run = bytes[start..<min(bytes.count, start + 1 + below(40))]
                bytes.insert(contentsOf: run, at: below(bytes.count + 1))
            case 3 where !bytes.isEmpty:  // flip a byte
                bytes[below(bytes.count)] ^= UInt8(truncatingIfNeeded: 1 << below(8))
            case 4:  // swap two lines
                var lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
                if lines.count > 1 { lines.swapAt(below(lines.count), below(lines.count)) }
                bytes = Array(lines.joined(separator: "\n").utf8)
            default:  // truncate
                bytes = Array(bytes.prefix(below(bytes.count + 1)))
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
