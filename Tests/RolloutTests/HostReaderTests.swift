import Foundation
@testable import Rollout
import Testing
import TestSupport

/// The probe lists `releases/` without a process under bash (``HostLayout/listReader``) when
/// that is safe; under every shell and locale it must print what `ls -1trq` prints.
@Suite("the probe's builtin release listing against ls")
struct HostReaderTests {
    static let cases = [("sh", "C.UTF-8"), ("bash", "C.UTF-8"), ("bash", "C"), ("ksh93", "C.UTF-8")]

    func root() throws -> String {
        let root = NSTemporaryDirectory() + "readers-\(UUID().uuidString.prefix(8))/srv/web"
        try FileManager.default.createDirectory(atPath: root + "/releases", withIntermediateDirectories: true)
        return root
    }

    func touch(_ path: String, seconds: TimeInterval) throws {
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSince1970: seconds)], ofItemAtPath: path)
    }

    func compare(_ root: String, shell: String, locale: String, entries expected: Int) async throws {
        let layout = HostLayout(root: root)
        let environment = ["LC_ALL": locale, "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"]
        let ours = try await Shell.runDetached([shell, "-c", layout.preamble + HostLayout.listReader + "co_list \"$R/releases\""], environment: environment)
        let theirs = try await Shell.runDetached([shell, "-c", layout.preamble + "ls -1trq \"$R/releases\""], environment: environment)
        #expect(ours.status == 0 && theirs.status == 0, "\(ours.output) \(theirs.output)")
        #expect(ours.stdout == theirs.stdout, "\(shell) \(locale)")
        #expect(theirs.stdout.split(separator: "\n").count == expected, "\(theirs.stdout)")
    }

    /// Times out of name order, equal times (ties go by name), sub-second differences, a dot
    /// file (skipped) and a plain file: the builtins answer.
    @Test(arguments: cases) func releasesAreListedInTheOrderLsGivesThem(shell: String, locale: String) async throws {
        let root = try root()
        let entries: [(String, TimeInterval)] = [("b-2", 1_700_000_300), ("a-1", 1_700_000_100), ("c-3", 1_700_000_200),
                                                  ("tie-x", 1_700_000_400), ("tie-y", 1_700_000_400), (".stage-1", 1_700_000_000),
                                                  ("zz", 1_700_000_600.25), ("zy", 1_700_000_600.5)]
        for (name, time) in entries {
            try FileManager.default.createDirectory(atPath: root + "/releases/" + name, withIntermediateDirectories: true)
            try touch(root + "/releases/" + name, seconds: time)
        }
        try "x".write(toFile: root + "/releases/file", atomically: false, encoding: .utf8)
        try touch(root + "/releases/file", seconds: 1_700_000_150)
        try await compare(root, shell: shell, locale: locale, entries: 8)
        let empty = try await Shell.runDetached([shell, "-c", HostLayout(root: root).preamble + HostLayout.listReader + "co_list \"$R/nothing\"; co_list \"$R/shared\""])
        #expect(empty.status == 0 && empty.stdout.isEmpty)
    }

    /// What the builtins would get wrong goes to `ls`: a link (sorted by its own time, a
    /// dangling one too), names with a newline, a control character, a high byte or invalid
    /// UTF-8, and more than 64 entries (sorting them in the shell would be slow).
    @Test(arguments: cases) func whatBuiltinsWouldGetWrongIsListedByLs(shell: String, locale: String) async throws {
        let odd = try root()
        try FileManager.default.createDirectory(atPath: odd + "/releases/1.0.0-aaaaaaaaaaaa", withIntermediateDirectories: true)
        try touch(odd + "/releases/1.0.0-aaaaaaaaaaaa", seconds: 1_700_000_100)
        try FileManager.default.createSymbolicLink(atPath: odd + "/releases/2.0.0-bbbbbbbbbbbb", withDestinationPath: "1.0.0-aaaaaaaaaaaa")
        try FileManager.default.createSymbolicLink(atPath: odd + "/releases/dangling", withDestinationPath: "nowhere")
        _ = try await Shell.runDetached(["touch", "-h", "-d", "@1700000900", odd + "/releases/dangling"])
        try await compare(odd, shell: shell, locale: locale, entries: 3)

        for name in ["new\nline", "bell\u{7}", "caf\u{e9}", "csi\u{9b}x"] {
            let root = try root()
            try FileManager.default.createDirectory(atPath: root + "/releases/a-1", withIntermediateDirectories: true)
            try FileManager.default.createDirectory(atPath: root + "/releases/" + name, withIntermediateDirectories: true)
            try await compare(root, shell: shell, locale: locale, entries: 2)
        }
        let invalid = try root()
        _ = try await Shell.runDetached(["sh", "-c", "mkdir \"$1/releases/\"$(printf 'x\\377y') \"$1/releases/b-2\"", "sh", invalid])
        try await compare(invalid, shell: shell, locale: locale, entries: 2)

        let many = try root()
        for index in 0..<70 {
            let path = many + "/releases/r-\(index)"
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            try touch(path, seconds: 1_700_000_000 + TimeInterval((index * 37) % 70))
        }
        try await compare(many, shell: shell, locale: locale, entries: 70)
    }
}
