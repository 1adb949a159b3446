/// A member name or link target split the way the file system reads it.
struct TarPath {
    /// The components without empty and `.` ones: `./a//./b/` is `a`, `b`; `.` is none.
    let components: [Substring]
    /// Whether the text starts with `/`.
    let isAbsolute: Bool

    init(_ text: String) {
        isAbsolute = text.hasPrefix("/")
        components = text.split(separator: "/", omittingEmptySubsequences: true).filter { $0 != "." }
    }

    /// The components joined by `/`; the release root is the empty string.
    var canonical: String {
        components.joined(separator: "/")
    }

    /// Whether a component is `..`.
    var climbs: Bool {
        components.contains("..")
    }
}
