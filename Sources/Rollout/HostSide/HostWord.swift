/// The shape of the words a host reports besides release ids: deploy ids, journal steps and
/// keys, lock tokens. What fails these checks came from somewhere other than Cutover.
enum HostWord {
    /// A deploy id, journal step or key: 1 to 64 ASCII letters, digits, `.`, `_` and `-`,
    /// starting with a letter or digit (`d-20261125T213358-69c2`, `rollback-verified`).
    static func isName(_ text: String) -> Bool {
        let scalars = Array(text.unicodeScalars)
        guard let first = scalars.first, scalars.count <= 64, isAlphanumeric(first) else { return false }
        return scalars.allSatisfy { isAlphanumeric($0) || $0 == "." || $0 == "_" || $0 == "-" }
    }

    /// A lease's fencing token or a count: 1 to 18 ASCII digits.
    static func isNumber(_ text: String) -> Bool {
        !text.isEmpty && text.count <= 18 && text.unicodeScalars.allSatisfy { ("0"..."9").contains($0) }
    }

    private static func isAlphanumeric(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar)
    }
}
