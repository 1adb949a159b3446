/// The file listing a host keeps beside an older release (`.cutover/releases/<id>.files`,
/// `sha256sum` format), read as untrusted input: anything not shaped exactly as Cutover writes
/// it makes the whole listing unusable, and the host gets a full push.
public enum HostFileManifest {
    /// Path to sha256 for every line, or nil when any line is malformed: not `HASH  path`, a hash
    /// that is not 64 lowercase hex digits, a path that is absolute, climbs (`..`), is not
    /// canonical, holds control characters or a backslash, or appears twice.
    public static func parse(_ text: String) -> [String: String]? {
        var sums: [String: String] = [:]
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.isEmpty { continue }
            let bytes = Array(line.utf8)
            guard bytes.count > 66, bytes[64] == UInt8(ascii: " "), bytes[65] == UInt8(ascii: " "),
                  bytes[0..<64].allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains($0) })
            else { return nil }
            let path = String(decoding: bytes[66...], as: UTF8.self)
            guard ArtifactManifest.isPlain(path), !path.hasPrefix("/"), TarPath(path).canonical == path, !TarPath(path).climbs,
                  sums.updateValue(String(decoding: bytes[0..<64], as: UTF8.self), forKey: path) == nil
            else { return nil }
        }
        return sums
    }
}
