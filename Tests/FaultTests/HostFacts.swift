import Foundation

/// What one host's deploy root says, read from its own `/srv` (not through Cutover).
struct HostFacts {
    let root: String

    /// The release `current` points at, nil when there is no `current`.
    var current: String? {
        guard let target = try? FileManager.default.destinationOfSymbolicLink(atPath: root + "/current") else { return nil }
        return target.split(separator: "/").last.map(String.init)
    }

    /// `current` resolves to a release directory holding every file its MANIFEST lists.
    var currentIsComplete: Bool {
        guard let current else { return false }
        let release = root + "/releases/" + current
        guard let manifest = try? String(contentsOfFile: release + "/MANIFEST", encoding: .utf8) else { return false }
        let files = manifest.split(separator: "\n").map { String($0.dropFirst(2)) }  // "./bin/health" → "bin/health"
        return !files.isEmpty && files.allSatisfy { FileManager.default.fileExists(atPath: release + "/" + $0) }
    }

    var isLocked: Bool { FileManager.default.fileExists(atPath: root + "/.cutover/lock") }

    /// The deploy id holding the lease, when one does.
    var lockHolder: String? {
        guard let text = try? String(contentsOfFile: root + "/.cutover/lock", encoding: .utf8) else { return nil }
        return text.split(separator: "\n").first { $0.hasPrefix("deploy=") }.map { String($0.dropFirst("deploy=".count)) }
    }

    var journal: [String] {
        ((try? String(contentsOfFile: root + "/.cutover/journal", encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    }

    /// What `bin/restart` recorded last: the release whose activate (or on_rollback) ran last.
    var running: String? {
        (try? String(contentsOfFile: root + "/shared/running", encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Release directories on disk (staging directories excluded).
    var releases: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: root + "/releases")) ?? []).filter { !$0.hasPrefix(".") }.sorted()
    }
}
