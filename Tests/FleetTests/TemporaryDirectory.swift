import Foundation

/// A fresh directory under the system temp dir for one test's files; removed when the value is released.
final class TemporaryDirectory {
    /// Absolute path of the directory.
    let path: String

    init() {
        let base = (NSTemporaryDirectory() as NSString).appendingPathComponent("fleet-tests-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(atPath: base, withIntermediateDirectories: true)
        path = base
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }

    /// Writes `text` to `name` (subdirectories created) and returns the file's absolute path.
    @discardableResult
    func write(_ name: String, _ text: String) -> String {
        let file = (path as NSString).appendingPathComponent(name)
        try! FileManager.default.createDirectory(
            atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try! text.write(toFile: file, atomically: true, encoding: .utf8)
        return file
    }

    /// The absolute path of `name` inside the directory.
    func file(_ name: String) -> String {
        (path as NSString).appendingPathComponent(name)
    }
}
