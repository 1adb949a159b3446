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

    /// A host name: a valid name, or an IPv6 address (`fe80::1`, `2001:db8::10`), which Ansible
    /// inventories may list as hosts.
    static func isValidHost(_ name: String) -> Bool {
        isValid(name) || (name.filter { $0 == ":" }.count >= 2
            && name.unicodeScalars.allSatisfy { $0.isASCII && (Character($0).isHexDigit || $0 == ":" || $0 == ".") })
    }

    /// The message for an invalid name; `kind` is `host` or `group`.
    static func invalidMessage(_ name: String, kind: String) -> String {
        "invalid \(kind) name '\(name)' (use letters, digits, '.', '_' and '-', not starting with '-')"
    }
}
