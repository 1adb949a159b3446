import Foundation
@testable import Rollout
import Testing
import TestSupport

/// The probe's readers (``HostLayout/linkReader``, ``HostLayout/listReader``,
/// ``HostLayout/tailReader``) answer without a process under bash; under every shell they
/// must print what `readlink`, `ls -1trq` and `tail -n 200` print on the same files.
@Suite("the probe's builtin readers against readlink, ls and tail")
struct HostReaderTests {
    static let shells = ["sh", "bash"]

    func root() throws -> String {
        let root = NSTemporaryDirectory() + "readers-\(UUID().uuidString.prefix(8))/srv/web"
        try FileManager.default.createDirectory(atPath: root + "/releases", withIntermediateDirectories: true)
        return root
    }

    func run(_ shell: String, _ script: String) async throws -> Shell.Result {
        let result = try await Shell.runDetached([shell, "-c", script])
        #expect(result.status == 0, "\(result.output)")
        return result
    }

    func touch(_ path: String, seconds: TimeInterval) throws {
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSince1970: seconds)], ofItemAtPath: path)
    }

    @Test(arguments: shells) func releasesAreListedInTheOrderLsGivesThem(shell: String) async throws {
        let root = try root()
        let fm = FileManager.default
        // Times out of name order, two pairs with equal times (ties go by name), a name with
        // a newline and one with a control character (printed as `?`), a dot file (skipped),
        // a file and a link among the directories.
        let entries: [(String, TimeInterval)] = [("b-2", 1_700_000_300), ("a-1", 1_700_000_100), ("c-3", 1_700_000_200),
                                                  ("tie-x", 1_700_000_400), ("tie-y", 1_700_000_400), ("new\nline", 1_700_000_050),
                                                  ("bell\u{7}", 1_700_000_500), (".stage-1", 1_700_000_000), ("zz", 1_700_000_600.25),
                                                  ("zy", 1_700_000_600.5)]
        for (name, time) in entries {
            try fm.createDirectory(atPath: root + "/releases/" + name, withIntermediateDirectories: true)
            try touch(root + "/releases/" + name, seconds: time)
        }
        try "x".write(toFile: root + "/releases/file", atomically: false, encoding: .utf8)
        try touch(root + "/releases/file", seconds: 1_700_000_150)
        let layout = HostLayout(root: root)
        let ours = try await run(shell, layout.preamble + HostLayout.listReader + "co_list \"$R/releases\"")
        let theirs = try await run(shell, layout.preamble + "ls -1trq \"$R/releases\"")
        #expect(ours.stdout == theirs.stdout)
        #expect(theirs.stdout.split(separator: "\n").count == 10, "\(theirs.stdout)")
        let empty = try await run(shell, layout.preamble + HostLayout.listReader + "co_list \"$R/nothing\"; co_list \"$R/shared\"")
        #expect(empty.stdout.isEmpty)
    }

    @Test(arguments: shells) func aLinkReadsAsReadlinkPrintsIt(shell: String) async throws {
        let root = try root()
        let fm = FileManager.default
        try fm.createDirectory(atPath: root + "/releases/1.0.0-aaaaaaaaaaaa", withIntermediateDirectories: true)
        try fm.createDirectory(atPath: root + "/elsewhere/2.0.0-bbbbbbbbbbbb", withIntermediateDirectories: true)
        try fm.createSymbolicLink(atPath: root + "/releases/3.0.0-cccccccccccc", withDestinationPath: "../elsewhere/2.0.0-bbbbbbbbbbbb")
        let cases = [("current", "releases/1.0.0-aaaaaaaaaaaa"), ("dangling", "releases/9.9.9-dddddddddddd"),
                     ("outside", "elsewhere/2.0.0-bbbbbbbbbbbb"), ("chained", "releases/3.0.0-cccccccccccc"),
                     ("absolute", root + "/releases/1.0.0-aaaaaaaaaaaa")]
        for (name, target) in cases { try fm.createSymbolicLink(atPath: root + "/" + name, withDestinationPath: target) }
        try fm.createDirectory(atPath: root + "/plain", withIntermediateDirectories: true)
        let layout = HostLayout(root: root)
        for name in cases.map(\.0) + ["plain", "missing"] {
            let ours = try await run(shell, layout.preamble + HostLayout.linkReader + "cd /tmp; co_target \"$R/\(name)\"; printf '%s|%s\\n' \"${co_t##*/}\" \"$PWD\"")
            let theirs = try await run(shell, layout.preamble + "cd /tmp; t=$(readlink \"$R/\(name)\"); printf '%s|%s\\n' \"${t##*/}\" \"$PWD\"")
            #expect(ours.stdout == theirs.stdout, "\(name)")
        }
    }

    @Test(arguments: shells) func aJournalsTailIsTailsOwn(shell: String) async throws {
        let root = try root()
        let layout = HostLayout(root: root)
        for lines in [0, 1, 199, 200, 201, 1000, 1001, 2500] {
            var text = (0..<lines).map { "2026-01-01T00:00:00Z deploy=d\($0) step=switch" }.joined(separator: "\n")
            if lines > 0 && lines % 2 == 0 { text += "\n" }  // every other one ends without a newline
            try text.write(toFile: root + "/journal", atomically: false, encoding: .utf8)
            let ours = try await run(shell, layout.preamble + HostLayout.tailReader + "co_tail \"$R/journal\"")
            let theirs = try await run(shell, layout.preamble + "tail -n 200 \"$R/journal\"")
            let normalise = { (text: String) in text.split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.isEmpty } }
            #expect(normalise(ours.stdout) == normalise(theirs.stdout), "\(lines) lines")
        }
    }
}
