/// POSIX shell quoting for every value Cutover places into a remote command line.
public enum ShellQuote {
    /// Wraps `value` in single quotes so that `sh` reads it back byte for byte, whatever it
    /// holds (`;`, `$()`, quotes, newlines, non-ASCII). Safe words are returned unchanged.
    public static func quote(_ value: String) -> String {
        if !value.isEmpty, value.utf8.allSatisfy(isSafe) { return value }
        return "'" + value.replacing("'", with: "'\\''") + "'"
    }

    /// Quotes each argument and joins them with spaces.
    public static func join(_ arguments: [String]) -> String {
        arguments.map(quote).joined(separator: " ")
    }

    private static func isSafe(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        case UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "/"),
             UInt8(ascii: ":"), UInt8(ascii: "="), UInt8(ascii: "+"), UInt8(ascii: "@"),
             UInt8(ascii: ","):
            return true
        default:
            return false
        }
    }
}
