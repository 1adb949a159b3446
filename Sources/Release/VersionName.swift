/// Release versions: validation and derivation from artifact file names.
public enum VersionName {
    /// `[A-Za-z0-9][A-Za-z0-9._+-]{0,63}`.
    public static func isValid(_ version: String) -> Bool {
        PathRules.isName(version, extra: "._+-")
    }

    /// The version in an artifact's file name: `web-1.4.2.tar.gz` → `1.4.2`; `nil` when there is none.
    ///
    /// The archive extension (`.tar.gz`, `.tgz`, `.tar`) is dropped, then the version is the text after the
    /// first `-` that is followed by a digit (or the whole stem when it starts with a digit).
    public static func derive(fromArtifact path: String) -> String? {
        let file = path.split(separator: "/").last.map(String.init) ?? path
        var stem = Substring(file)
        for suffix in [".tar.gz", ".tgz", ".tar"] where stem.hasSuffix(suffix) {
            stem = stem.dropLast(suffix.count)
            break
        }
        var candidate: Substring?
        if stem.first?.isASCII == true, stem.first?.isNumber == true {
            candidate = stem
        } else {
            var index = stem.startIndex
            while let dash = stem[index...].firstIndex(of: "-") {
                let next = stem.index(after: dash)
                if next < stem.endIndex, stem[next].isASCII, stem[next].isNumber {
                    candidate = stem[next...]
                    break
                }
                index = next
            }
        }
        guard let candidate, VersionName.isValid(String(candidate)) else { return nil }
        return String(candidate)
    }
}
