/// The name of a deployment environment (`staging`, `production`, …), as inventories, playbooks'
/// `promotion:` policies, `--environment` and the ledger write it. It lives here, beside the
/// diagnostics every loader shares, because Fleet (inventories) and Release (playbooks) both
/// check it and neither depends on the other.
public enum EnvironmentName {
    /// The environment of an inventory that names none (and no `--environment`), and of ledger
    /// records written before Cutover recorded environments.
    public static let unnamed = "default"

    /// Environment names that mean production: they need the production confirmation.
    public static let production: Set<String> = ["production", "prod"]

    /// 1 to 64 lowercase ASCII letters, digits, `.`, `_` or `-`, starting with a letter or digit:
    /// safe in a shell word, a file name and a SQL parameter alike.
    ///
    /// Lowercase only, so that every place that compares environment names (the promotion rule
    /// for a deploy, the ledger's records, `--environment` against the inventory) can compare
    /// them exactly: `Production` is refused where it is written rather than silently missing
    /// the rule `production:`. There are no aliases: `prod` and `production` are two names.
    public static func isValid(_ name: String) -> Bool {
        let scalars = Array(name.unicodeScalars)
        guard let first = scalars.first, scalars.count <= 64, ("a"..."z").contains(first) || ("0"..."9").contains(first) else {
            return false
        }
        return scalars.allSatisfy { scalar in
            ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) || scalar == "." || scalar == "_" || scalar == "-"
        }
    }

    /// Why `name` is refused.
    public static func invalidMessage(_ name: String) -> String {
        let lower = name.lowercased()
        let hint = lower != name && isValid(lower) ? "; write '\(lower)': names are compared exactly" : ""
        return "invalid environment name '\(name)' (expected lowercase letters, digits, '.', '_' or '-', starting with a letter or digit, at most 64\(hint))"
    }

    /// Whether `name` is production (`production`, `prod`, any case).
    public static func isProduction(_ name: String) -> Bool {
        production.contains(name.lowercased())
    }
}
