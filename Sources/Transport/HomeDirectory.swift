import Glibc

/// The user's home directory: `$HOME`, else the password database.
enum HomeDirectory {
    static var path: String {
        if let home = getenv("HOME"), home[0] != 0 { return String(cString: home) }
        if let entry = getpwuid(getuid()), let dir = entry.pointee.pw_dir { return String(cString: dir) }
        return "/"
    }

    static func expand(_ path: String) -> String {
        if path == "~" { return self.path }
        if path.hasPrefix("~/") { return self.path + path.dropFirst(1) }
        return path
    }
}
