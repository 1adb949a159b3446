/// Validation rules for names and paths written in playbooks.
enum PathRules {
    /// `[A-Za-z0-9][A-Za-z0-9._-]{0,63}`.
    static func isValidAppName(_ name: String) -> Bool {
        isName(name, extra: "._-")
    }

    /// A name of 1 to 64 ASCII letters, digits and `extra`, starting with a letter or digit.
    static func isName(_ name: String, extra: String) -> Bool {
        let scalars = Array(name.unicodeScalars)
        guard let first = scalars.first, scalars.count <= 64, isAlphanumeric(first) else { return false }
        return scalars.allSatisfy { isAlphanumeric($0) || extra.unicodeScalars.contains($0) }
    }

    private static func isAlphanumeric(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar)
    }

    /// Why a remote absolute directory is unacceptable, or `nil` when it is fine.
    static func problem(withDeployRoot path: String) -> String? {
        guard path.hasPrefix("/") else { return "must be an absolute path" }
        if let bad = path.first(where: { $0.isWhitespace || "\"'$`\\".contains($0) }) {
            return "must not contain '\(bad)'"
        }
        if path != "/" && path.hasSuffix("/") { return "must not end with '/'" }
        let components = path.split(separator: "/", omittingEmptySubsequences: false).dropFirst()
        if path != "/" && components.contains(where: { $0.isEmpty }) { return "must not contain '//'" }
        if components.contains(where: { $0 == ".." || $0 == "." }) { return "must be normalised (no '.' or '..' components)" }
        return nil
    }

    /// Why a path relative to `shared/` is unacceptable, or `nil` when it is fine.
    static func problem(withSharedPath path: String) -> String? {
        if path.isEmpty { return "must not be empty" }
        if path.hasPrefix("/") { return "must be relative to the shared directory" }
        if let bad = path.first(where: { $0.isWhitespace || "\"'$`\\".contains($0) }) {
            return "must not contain '\(bad)'"
        }
        let components = path.split(separator: "/", omittingEmptySubsequences: false)
        if components.contains(where: { $0 == ".." }) { return "must not contain '..'" }
        if components.contains(where: { $0.isEmpty || $0 == "." }) { return "must be normalised" }
        return nil
    }
}
