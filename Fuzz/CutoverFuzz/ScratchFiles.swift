import Foundation

/// A per-process directory for loaders that read from paths (artifacts, known_hosts, includes).
enum ScratchFiles {
    /// `/tmp/cutover-fuzz-<pid>`, created on first use.
    static let directory: String = {
        let path = NSTemporaryDirectory() + "cutover-fuzz-\(getpid())"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }()

    /// Writes `bytes` to `name` in the scratch directory and returns its path.
    static func write(_ bytes: [UInt8], as name: String) -> String {
        let path = directory + "/" + name
        guard FileManager.default.createFile(atPath: path, contents: Data(bytes)) else {
            fatalError("cutover-fuzz: cannot write \(path)")
        }
        return path
    }
}
