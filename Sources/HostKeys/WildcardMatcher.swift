/// Matches strings against OpenSSH-style patterns where `*` is any run of bytes and `?` is one byte.
enum WildcardMatcher {
    /// Returns true if all of `text` matches all of `pattern`.
    static func matches(_ text: [UInt8], pattern: [UInt8]) -> Bool {
        let star = UInt8(ascii: "*"), question = UInt8(ascii: "?")
        var t = 0, p = 0
        var starAt: Int?, resumeAt = 0
        while t < text.count {
            if p < pattern.count, pattern[p] == star {
                starAt = p
                resumeAt = t
                p += 1
            } else if p < pattern.count, pattern[p] == question || pattern[p] == text[t] {
                t += 1
                p += 1
            } else if let star = starAt {
                p = star + 1
                resumeAt += 1
                t = resumeAt
            } else {
                return false
            }
        }
        while p < pattern.count, pattern[p] == star { p += 1 }
        return p == pattern.count
    }
}
