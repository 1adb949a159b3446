/// A shell-style wildcard pattern: `*` matches any run of characters, `?` exactly one.
struct Glob: Sendable, Hashable {
    /// The pattern text.
    var pattern: String
    /// Whether letters compare without regard to case (ssh_config host patterns do).
    var caseInsensitive: Bool = false

    /// Whether a text contains `*` or `?`, i.e. is meant as a pattern rather than a name.
    static func isPattern(_ text: String) -> Bool {
        text.contains("*") || text.contains("?")
    }

    /// Whether the whole of `text` matches the pattern.
    func matches(_ text: String) -> Bool {
        let pattern = Array(caseInsensitive ? self.pattern.lowercased() : self.pattern)
        let text = Array(caseInsensitive ? text.lowercased() : text)
        var p = 0, t = 0
        var starPattern = -1, starText = 0
        while t < text.count {
            if p < pattern.count, pattern[p] == "?" || pattern[p] == text[t] {
                p += 1
                t += 1
            } else if p < pattern.count, pattern[p] == "*" {
                starPattern = p
                starText = t
                p += 1
            } else if starPattern >= 0 {
                p = starPattern + 1
                starText += 1
                t = starText
            } else {
                return false
            }
        }
        while p < pattern.count, pattern[p] == "*" { p += 1 }
        return p == pattern.count
    }
}
