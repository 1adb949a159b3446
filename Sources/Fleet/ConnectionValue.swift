/// Which addresses and remote user names an inventory may give a host.
///
/// ssh_config puts them into commands for `/bin/sh -c` unquoted: `%h`, `%r` and `%n` in
/// `ProxyCommand` and `Match exec` (as OpenSSH does, and as the user's config may rely on). A value
/// holding `$(…)`, `;` or a space would then run commands on the machine running Cutover, the class
/// OpenSSH 9.6 closed (CVE-2023-51385) by refusing such names from the command line. Cutover refuses
/// them when the inventory is loaded, with an allow-list rather than OpenSSH's deny-list, since an
/// inventory is data and every legitimate value fits it:
/// - an address is a DNS name or an IPv4 address (ASCII letters, digits, `.`, `-`, `_`) or an
///   IPv6 address (hex digits, `:`, `.`), optionally with a `%zone` (letters, digits, `.`, `-`, `_`);
/// - a user is letters, digits, `.`, `-`, `_`, optionally `@` (a directory login such as
///   `alice@corp.example.com`, which sssd and winbind give) and a trailing `$` (useradd allows it);
/// - neither starts with `-` (it would read as an option of the command it lands in).
/// ssh_config's own `HostName` and `User` are not checked: they are the operator's file, which can
/// run any command through `ProxyCommand` anyway; ssh checks them no more than Cutover does.
enum ConnectionValue {
    /// Why `address` is refused, naming the first character at fault; nil when it is fine.
    static func addressProblem(_ address: String) -> String? {
        if address.hasPrefix("-") { return "starts with '-'" }
        let scalars = Array(address.unicodeScalars)
        let zoneStart = scalars.firstIndex(of: "%")
        let host = scalars[..<(zoneStart ?? scalars.endIndex)]
        if let bad = host.first(where: { !isNameScalar($0) && $0 != ":" }) { return "contains " + describe(bad) }
        guard let zoneStart else { return nil }
        guard host.contains(":"), host.allSatisfy({ $0 == ":" || $0 == "." || ("0"..."9").contains($0) || ("a"..."f").contains($0) || ("A"..."F").contains($0) }) else {
            return "contains '%' (only an IPv6 address may carry a '%zone')"
        }
        let zone = scalars[(zoneStart + 1)...]
        if zone.isEmpty { return "ends with an empty '%zone'" }
        if let bad = zone.first(where: { !isNameScalar($0) }) { return "contains " + describe(bad) + " in its '%zone'" }
        return nil
    }

    /// Why `user` is refused, naming the first character at fault; nil when it is fine.
    static func userProblem(_ user: String) -> String? {
        if user.hasPrefix("-") { return "starts with '-'" }
        let scalars = Array(user.unicodeScalars)
        for (index, scalar) in scalars.enumerated() where !isNameScalar(scalar) && scalar != "@" {
            if scalar == "$" && index == scalars.count - 1 && index > 0 { continue }
            return "contains " + describe(scalar) + (scalar == "$" ? " (only as its last character)" : "")
        }
        return nil
    }

    /// What is allowed, for messages.
    static let addressRule = "use a DNS name, an IPv4 address or an IPv6 address with an optional '%zone'"
    static let userRule = "use letters, digits, '.', '-', '_', '@' and a trailing '$'"

    /// The message for a refused address, `host 'web1': address '…' contains '$': …`; nil when it is fine.
    /// `owner` names where it applies (`host 'web1'`, `defaults`).
    static func addressMessage(_ address: String, owner: String, field: String = "address") -> String? {
        addressProblem(address).map { message(owner: owner, field: field, value: address, problem: $0, rule: addressRule) }
    }

    /// The message for a refused user, as ``addressMessage(_:owner:field:)``.
    static func userMessage(_ user: String, owner: String, field: String = "user") -> String? {
        userProblem(user).map { message(owner: owner, field: field, value: user, problem: $0, rule: userRule) }
    }

    private static func message(owner: String, field: String, value: String, problem: String, rule: String) -> String {
        "\(owner): \(field) '\(visible(value))' \(problem), which ssh_config's ProxyCommand and Match exec would hand "
            + "to a shell; refused (\(rule))"
    }

    /// ASCII letters, digits, `.`, `-`, `_`.
    private static func isNameScalar(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar)
            || scalar == "." || scalar == "-" || scalar == "_"
    }

    /// `'$'`, `a space`, `a control character (U+0009)`, `'é' (U+00E9, not ASCII)`.
    private static func describe(_ scalar: Unicode.Scalar) -> String {
        let hex = String(scalar.value, radix: 16, uppercase: true)
        let code = "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
        if scalar == " " { return "a space" }
        if scalar.properties.generalCategory == .control || scalar.properties.isWhitespace {
            return "a control or space character (\(code))"
        }
        if !scalar.isASCII { return "'\(scalar)' (\(code), not ASCII)" }
        return "'\(scalar)'"
    }

    /// `value` with control characters shown as `\u{…}`, so a message cannot move the terminal.
    static func visible(_ value: String) -> String {
        var result = ""
        for scalar in value.unicodeScalars {
            if scalar.properties.generalCategory == .control || scalar.properties.generalCategory == .format {
                result += "\\u{\(String(scalar.value, radix: 16))}"
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }
}
