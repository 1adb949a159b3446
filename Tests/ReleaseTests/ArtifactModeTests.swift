import Foundation
import Release
import Testing

/// Modes GNU tar applies as they are (run as root it keeps set-uid bits and world-writable
/// directories; checked with GNU tar 1.34): refused unless the caller allows them.
@Suite struct ArtifactModeTests {
    let scratch = Scratch()

    func file(_ name: String, mode: Int) -> [UInt8] {
        TarBytes.header(name, size: 1, mode: mode) + TarBytes.data("x")
    }

    func directory(_ name: String, mode: Int) -> [UInt8] {
        TarBytes.header(name, type: "5", mode: mode)
    }

    @Test(arguments: [
        (0o4755, "set-uid"), (0o2755, "set-gid"), (0o1644, "sticky"), (0o664, "group-writable"), (0o646, "other-writable"),
        (0o6777, "set-uid, set-gid, group-writable, other-writable"),
    ])
    func filesWithSpecialOrWritableModesAreRefused(mode: Int, named: String) throws {
        let error = try #require(refusal(of: file("bin/run", mode: mode) + TarBytes.end, in: scratch))
        #expect(error.code == .unsafeMode)
        #expect(error.message.contains("'bin/run'") && error.message.contains(String(mode, radix: 8)) && error.message.contains(named), "\(error.message)")
    }

    @Test func writableOrSetGidDirectoriesAreRefusedWithTheFix() throws {
        // Some build tools write every directory 0777: the message says how to make the archive again.
        let error = try #require(refusal(of: directory("./", mode: 0o755) + directory("./logs/", mode: 0o777) + TarBytes.end, in: scratch))
        #expect(error.code == .unsafeMode)
        #expect(error.message.contains("'./logs/'") && error.message.contains("0777") && error.message.contains("chmod -R go-w"), "\(error.message)")
        #expect(refusal(of: directory("shared/", mode: 0o2755) + TarBytes.end, in: scratch)?.code == .unsafeMode)
        #expect(refusal(of: directory("tmp/", mode: 0o1777) + TarBytes.end, in: scratch)?.code == .unsafeMode)
    }

    @Test func ordinaryModesPass() {
        // Sticky directories that only the owner writes, and symlinks (always 0777, never applied), are fine.
        let fine = directory("./", mode: 0o755) + directory("bin/", mode: 0o750) + file("bin/run", mode: 0o755) + file("conf", mode: 0o600)
            + directory("spool/", mode: 0o1755) + TarBytes.header("link", type: "2", link: "conf", mode: 0o777) + TarBytes.end
        #expect(refusal(of: fine, in: scratch) == nil)
    }

    @Test func theCallerMayAllowThem() {
        let special = directory("./", mode: 0o777) + file("bin/run", mode: 0o4755) + directory("tmp/", mode: 0o1777) + file("f", mode: 0o1666) + TarBytes.end
        #expect(refusal(of: special, in: scratch)?.code == .unsafeMode)
        #expect(refusal(of: special, in: scratch, allowSpecialModes: true) == nil)
        // Allowing modes allows nothing else.
        let escape = directory("./", mode: 0o777) + TarBytes.header("l", type: "2", link: "../x") + TarBytes.end
        #expect(refusal(of: escape, in: scratch, allowSpecialModes: true)?.code == .linkEscape)
    }

    @Test func anArchiveMadeByGnuTarFromASetUidTreeIsRefused() throws {
        let tree = scratch.path + "/tree"
        try FileManager.default.createDirectory(atPath: tree + "/bin", withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: tree + "/bin/run", contents: Data("#!/bin/sh\n".utf8))
        try FileManager.default.setAttributes([.posixPermissions: 0o4755], ofItemAtPath: tree + "/bin/run")
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: tree)
        let tar = Process()
        tar.executableURL = URL(fileURLWithPath: "/usr/bin/tar")
        tar.arguments = ["-czf", scratch.path + "/app.tgz", "-C", tree, "."]
        try tar.run()
        tar.waitUntilExit()
        #expect(tar.terminationStatus == 0)
        do {
            _ = try ArtifactInspector.inspect(path: scratch.path + "/app.tgz")
            Issue.record("a set-uid binary was accepted")
        } catch {
            #expect(error.code == .unsafeMode)
            #expect(error.message.contains("'./bin/run'") && error.message.contains("4755"), "\(error.message)")
        }
    }

    @Test func anUnreadableModeFieldIsCorrupt() {
        // GNU tar reported the field and created the file with mode 7777.
        var header = TarBytes.header("f", size: 1)
        header.replaceSubrange(100..<108, with: Array("4755x\u{0}\u{0}\u{0}".utf8))
        header.replaceSubrange(148..<156, with: Array("        ".utf8))
        let sum = header.reduce(0) { $0 + Int($1) }
        header.replaceSubrange(148..<156, with: Array((octal(sum, width: 6) + "\u{0} ").utf8))
        #expect(refusal(of: header + TarBytes.data("x") + TarBytes.end, in: scratch)?.code == .corrupt)
    }
}
