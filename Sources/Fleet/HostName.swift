/// Rules for host and group names written in an inventory.
enum HostName {
    /// Letters, digits, `.`, `_`, `-`; not empty; not starting with `-`.
    static func isValid(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first != "-" else { return false }
        return name.unicodeScalars.allSatisfy { scalar in
            scalar.isASCII && (("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar)
                || ("0"..."9").contains(scalar) || scalar == "." || scalar == "_" || scalar == "-")
        }
    }

    /// The message for an invalid name; `kind` is `host` or `group`.
    static func invalidMessage(_ name: String, kind: String) -> String {
        "invalid \(kind) name '\(name)' (use letters, digits, '.', '_' and '-', not starting with '-')"
    }
}
