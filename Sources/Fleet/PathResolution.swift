import Foundation

/// Turns user-written file paths into absolute ones: `~` expanded, relative paths joined to a base directory.
struct PathResolution: Sendable {
    /// Directory relative paths are resolved against.
    var baseDirectory: String
    /// The home directory `~` expands to.
    var homeDirectory: String

    /// The current user's home directory (`$HOME`, falling back to Foundation's notion).
    static var currentHome: String {
        if let home = ProcessInfo.processInfo.environment["HOME"], !home.isEmpty { return home }
        return NSHomeDirectory()
    }

    /// Resolution relative to the directory containing `file`.
    static func relative(toFile file: String, home: String = currentHome) -> PathResolution {
        let absolute = absolutePath(file)
        let directory = (absolute as NSString).deletingLastPathComponent
        return PathResolution(baseDirectory: directory, homeDirectory: home)
    }

    /// `path` made absolute against the working directory.
    static func absolutePath(_ path: String) -> String {
        if path.hasPrefix("/") { return (path as NSString).standardizingPath }
        let cwd = FileManager.default.currentDirectoryPath
        return ((cwd as NSString).appendingPathComponent(path) as NSString).standardizingPath
    }

    /// The absolute form of a path written by the user.
    func resolve(_ path: String) -> String {
        if path == "~" { return homeDirectory }
        if path.hasPrefix("~/") {
            return (homeDirectory as NSString).appendingPathComponent(String(path.dropFirst(2)))
        }
        if path.hasPrefix("/") { return path }
        return ((baseDirectory as NSString).appendingPathComponent(path) as NSString).standardizingPath
    }
}
