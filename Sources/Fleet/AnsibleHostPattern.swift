/// An Ansible inventory host pattern: `name[:port]` with optional `[start:end[:step]]` ranges.
///
/// Follows ansible-core's `parse_address` and `expand_hostname_range`: `[::1]:2222` and `host:22`
/// carry a port, a bare IPv6 address (`fe80::1`) does not; ranges are numeric (`[01:50:2]`, zero
/// padding kept when the start has a leading zero) or one-letter alphabetic (`[a:f]`), may repeat
/// (`r[1:2]-n[a:b]`) and expand in order. A pattern that is not a valid address keeps its text as
/// the name (and no port), as Ansible does.
struct AnsibleHostPattern {
    /// Why a range cannot be expanded (Ansible refuses the same ones).
    struct RangeError: Error {
        var message: String
    }

    /// More hosts than this from one pattern is refused: a typo must not make millions of hosts.
    static let expansionLimit = 100_000

    var pattern: String
    var port: Int?

    /// Splits `text` into the pattern and its port.
    init(_ text: String) {
        var address = text
        var port: Int?
        if let match = text.wholeMatch(of: /\[(.+)\]:([0-9]+)/), let value = Int(match.2) {
            address = String(match.1)
            port = value
        }
        if let match = address.wholeMatch(of: /((?:[^:\[\]]|\[[^\]]*\])*):([0-9]+)/), let value = Int(match.2) {
            address = String(match.1)
            port = value
        }
        if Self.isAddress(address) {
            self.pattern = address
            self.port = port
        } else {
            self.pattern = text
            self.port = nil
        }
    }

    /// The host names the pattern stands for, ranges expanded in order.
    func expand() throws(RangeError) -> [String] {
        var names: [String] = []
        try Self.expand(pattern, into: &names)
        return names
    }

    private static func expand(_ name: String, into names: inout [String]) throws(RangeError) {
        guard let open = name.firstIndex(of: "[") else {
            names.append(name)
            return
        }
        guard let close = name.firstIndex(of: "]"), open < close else {
            throw RangeError(message: "invalid host range in '\(name)' (expected [start:end] or [start:end:step])")
        }
        let head = name[..<open], tail = name[name.index(after: close)...]
        let bounds = name[name.index(after: open)..<close].split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard bounds.count == 2 || bounds.count == 3 else {
            throw RangeError(message: "host range must be begin:end or begin:end:step, found '[\(bounds.joined(separator: ":"))]'")
        }
        let begin = bounds[0].isEmpty ? "0" : bounds[0]
        let end = bounds[1]
        guard !end.isEmpty else { throw RangeError(message: "host range must specify an end value") }
        let stepText = bounds.count == 3 ? bounds[2] : "1"
        guard let step = Int(stepText), step > 0 else { throw RangeError(message: "invalid step '\(stepText)' in host range") }
        var items: [String] = []
        let letters = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
        if begin.count == 1, end.count == 1, let low = letters.firstIndex(of: Character(begin)), let high = letters.firstIndex(of: Character(end)) {
            guard low <= high else { throw RangeError(message: "host range must have begin <= end, found '[\(begin):\(end)]'") }
            items = stride(from: low, through: high, by: step).map { String(letters[$0]) }
        } else {
            guard let low = Int(begin), let high = Int(end), low >= 0 else {
                throw RangeError(message: "invalid host range '[\(bounds.joined(separator: ":"))]' (expected numbers or single letters)")
            }
            let width = begin.hasPrefix("0") && begin.count > 1 ? begin.count : 0
            if width > 0 && end.count != width {
                throw RangeError(message: "host range must specify equal-length begin and end formats, found '[\(begin):\(end)]'")
            }
            guard high < low || (high - low) / step < expansionLimit else {
                throw RangeError(message: "host range '[\(begin):\(end)]' expands to more than \(expansionLimit) hosts")
            }
            if low <= high {
                items = stride(from: low, through: high, by: step).map { number in
                    let digits = String(number)
                    return digits.count < width ? String(repeating: "0", count: width - digits.count) + digits : digits
                }
            }
        }
        for item in items {
            try expand(head + item + tail, into: &names)
            guard names.count <= expansionLimit else {
                throw RangeError(message: "host pattern expands to more than \(expansionLimit) hosts")
            }
        }
    }

    // MARK: Address shapes (ansible-core's ipv4, ipv6 and hostname patterns, ranges allowed)

    static func isAddress(_ text: String) -> Bool {
        isIPv6(text) || isHostname(text)
    }

    /// Hex digits, `:` and `.` (an embedded IPv4), at least two colons; ranges allowed.
    static func isIPv6(_ text: String) -> Bool {
        let stripped = text.replacing(/\[[0-9a-fA-F]+:[0-9a-fA-F]+(?::[0-9]+)?\]/, with: "0")
        guard stripped.filter({ $0 == ":" }).count >= 2 else { return false }
        return stripped.allSatisfy { $0.isHexDigit || $0 == ":" || $0 == "." }
    }

    /// Dot-separated labels of word characters and `-` (not ending in `-` or `_`), ranges allowed.
    /// A dotted quad is a hostname too in this sense.
    static func isHostname(_ text: String) -> Bool {
        let stripped = text.replacing(/\[(?:[a-z]:[a-z]|[0-9]+:[0-9]+)(?::[0-9]+)?\]/.ignoresCase(), with: "0")
        let labels = stripped.split(separator: ".", omittingEmptySubsequences: false)
        return labels.allSatisfy { label in
            guard let first = label.first, let last = label.last else { return false }
            guard first.isLetter || first.isNumber || first == "_" else { return false }
            guard last != "-" && last != "_" else { return false }
            return label.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }
        }
    }
}
