import Glibc

/// A `Port` value as OpenSSH's `a2port` reads it: a number 1...65535 or a TCP service name.
enum SSHConfigPort {
    static func parse(_ text: String) -> Int? {
        if let number = Int(text) { return (1...65535).contains(number) ? number : nil }
        guard !text.isEmpty, let entry = getservbyname(text, "tcp") else { return nil }
        let port = Int(UInt16(bigEndian: UInt16(truncatingIfNeeded: entry.pointee.s_port)))
        return port > 0 ? port : nil
    }
}
