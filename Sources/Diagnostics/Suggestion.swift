/// "Did you mean …?" candidates for misspelt names.
public enum Suggestion {
    /// The candidate closest to `word`: edit distance at most 2, or one is a prefix of the other.
    ///
    /// Ties go to the earliest candidate. Returns `nil` when nothing is close enough.
    public static func closest(to word: String, in candidates: some Sequence<String>) -> String? {
        var best: (candidate: String, distance: Int)?
        let lowered = word.lowercased()
        for candidate in candidates where candidate != word {
            let other = candidate.lowercased()
            var distance = editDistance(lowered, other)
            if distance > 2, !lowered.isEmpty, other.hasPrefix(lowered) || lowered.hasPrefix(other), min(lowered.count, other.count) >= 2 {
                distance = 3
            } else if distance > 2 {
                continue
            }
            if best == nil || distance < best!.distance {
                best = (candidate, distance)
            }
        }
        return best?.candidate
    }

    /// ` (did you mean 'x'?)` or the empty string, ready to append to a message.
    public static func hint(for word: String, in candidates: some Sequence<String>) -> String {
        guard let match = closest(to: word, in: candidates) else { return "" }
        return " (did you mean '\(match)'?)"
    }

    /// Levenshtein distance counted in characters.
    public static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = Array(repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)
                current[j] = min(previous[j] + 1, current[j - 1] + 1, substitution)
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
