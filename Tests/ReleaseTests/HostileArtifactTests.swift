import Foundation
import Release
import Testing

/// Archives built to get out of the release directory or to exhaust the host, each refused by the
/// local inspection (which runs before any host is contacted) with the code that names why. Each
/// escape was checked against GNU tar: extracted, it would have created the link outside.
@Suite struct HostileArtifactTests {
    let scratch = Scratch()

    func code(_ bytes: [UInt8], limits: ArtifactLimits = .init()) -> ArtifactError.Code? {
        let path = scratch.path + "/artifact-\(UUID().uuidString).tar"
        _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
        do {
            _ = try ArtifactInspector.inspect(path: path, limits: limits)
            return nil
        } catch {
            #expect(!error.message.isEmpty)
            return error.code
        }
    }

    /// A header whose 12-byte size field is GNU base-256 `value`.
    func base256Header(_ name: String, size value: Int64) -> [UInt8] {
        var block = TarBytes.header(name)
        var field = [UInt8](repeating: 0, count: 12)
        field[0] = 0x80
        for index in 0..<8 { field[4 + index] = UInt8(truncatingIfNeeded: value >> (8 * (7 - index))) }
        block.replaceSubrange(124..<136, with: field)
        block.replaceSubrange(148..<156, with: Array("        ".utf8))
        let sum = block.reduce(0) { $0 + Int($1) }
        block.replaceSubrange(148..<156, with: Array((octal(sum, width: 6) + "\u{0} ").utf8))
        return block
    }

    @Test func sizesNearTheLargestNumberAreABombNotACrash() {
        // Fuzz/Corpus/artifact/crash-pax-size-overflow.tar: the unpacked-size sum overflowed (a trap).
        let first = TarBytes.header("a", size: 1) + TarBytes.data("x")
        #expect(code(first + TarBytes.pax([("size", "9223372036854775807")]) + TarBytes.header("b") + TarBytes.end) == .bomb)
        #expect(code(first + base256Header("b", size: Int64.max >> 9) + TarBytes.end) == .bomb)
        #expect(code(TarBytes.pax([("size", "-1")]) + TarBytes.header("b") + TarBytes.end) == .corrupt)
    }

    @Test func membersBelowAnEarlierSymlinkAreRefused() {
        // `d -> .` is harmless alone; `d/up -> ../x` then lands at the root as `up -> ../x`.
        let through = TarBytes.header("d", type: "2", link: ".") + TarBytes.header("d/up", type: "2", link: "../x") + TarBytes.end
        #expect(code(through) == .linkEscape)
        // `a/l -> ..` then `a/l/m -> ../..`: two levels above the release once `a/l` is followed.
        let chained = TarBytes.header("a/", type: "5") + TarBytes.header("a/l", type: "2", link: "..")
            + TarBytes.header("a/l/m", type: "2", link: "../..") + TarBytes.header("a/l/m/file", size: 1) + TarBytes.data("x") + TarBytes.end
        #expect(code(chained) == .linkEscape)
        let file = TarBytes.header("lib", type: "2", link: "lib64") + TarBytes.header("lib/libc.so", size: 1) + TarBytes.data("x") + TarBytes.end
        #expect(code(file) == .linkEscape)
        // Symlinks next to each other, and a member whose name only starts like a symlink's, are fine.
        let fine = TarBytes.header("lib", type: "2", link: "lib64") + TarBytes.header("lib64/", type: "5")
            + TarBytes.header("lib64/a.so", size: 1) + TarBytes.data("x") + TarBytes.header("library/b", size: 1) + TarBytes.data("y") + TarBytes.end
        #expect(code(fine) == nil)
    }

    @Test func hardlinksToSymlinksAreCheckedWhereTheyLand() {
        // `a/b/l -> ../../escaped` stays inside at depth 2; a hardlink to it at the root is the same
        // symlink one directory up (GNU tar makes it: `l2 -> ../../escaped`).
        let moved = TarBytes.header("a/", type: "5") + TarBytes.header("a/b/", type: "5")
            + TarBytes.header("a/b/l", type: "2", link: "../../escaped") + TarBytes.header("l2", type: "1", link: "a/b/l") + TarBytes.end
        #expect(code(moved) == .linkEscape)
        let sameDepth = TarBytes.header("a/", type: "5") + TarBytes.header("a/l", type: "2", link: "../x")
            + TarBytes.header("b/", type: "5") + TarBytes.header("b/l", type: "1", link: "a/l") + TarBytes.end
        #expect(code(sameDepth) == nil)
        // The hardlinked symlink is a symlink too: nothing may be written below it.
        let below = Array(sameDepth[..<(sameDepth.count - 1024)]) + TarBytes.header("b/l/f", size: 1) + TarBytes.data("x") + TarBytes.end
        #expect(code(below) == .linkEscape)
    }

    @Test func onlyFilesDirectoriesAndLinksAreDeployed() {
        #expect(code(TarBytes.header("disk", type: "4") + TarBytes.end) == .deviceFile)
        #expect(code(TarBytes.header("tty", type: "3") + TarBytes.end) == .deviceFile)
        for type: Character in ["S", "V", "M", "N", "D", "A", "9"] {
            #expect(code(TarBytes.header("x", type: type) + TarBytes.end) == .unsupportedType, "type \(type)")
        }
        #expect(code(TarBytes.header("contiguous", type: "7", size: 1) + TarBytes.data("x") + TarBytes.end) == nil)
        let sparse = TarBytes.pax([("GNU.sparse.realsize", "1099511627776"), ("GNU.sparse.name", "big")]) + TarBytes.header("f") + TarBytes.end
        #expect(code(sparse) == .unsupportedType)
    }

    @Test func globalPaxRecordsMayNotRenameLaterMembers() {
        func global(_ key: String, _ value: String) -> [UInt8] {
            var pax = TarBytes.pax([(key, value)])
            pax[156] = UInt8(ascii: "g")
            pax.replaceSubrange(148..<156, with: Array("        ".utf8))
            let sum = pax[0..<512].reduce(0) { $0 + Int($1) }
            pax.replaceSubrange(148..<156, with: Array((octal(sum, width: 6) + "\u{0} ").utf8))
            return pax
        }
        #expect(code(global("path", "../../etc/cron.d/x") + TarBytes.header("harmless") + TarBytes.end) == .unsupportedType)
        #expect(code(global("linkpath", "/etc/shadow") + TarBytes.header("l", type: "2", link: "ok") + TarBytes.end) == .unsupportedType)
        #expect(code(global("comment", "built by make dist") + TarBytes.header("fine") + TarBytes.end) == nil)
    }

    @Test func hugeEntryCountsInASmallFileAreRefused() throws {
        // 120 000 empty members compress to 260 KiB (a ratio of 230:1, past the 200:1 limit only
        // after 104 000 of them): the default entry limit (100 000) refuses it first.
        let path = scratch.path + "/many.tar.gz"
        let gzip = Process()
        gzip.executableURL = URL(fileURLWithPath: "/bin/sh")
        gzip.arguments = ["-c", "gzip -9 > '\(path)'"]
        let input = Pipe()
        gzip.standardInput = input
        try gzip.run()
        let member = TarBytes.header("f")
        let chunk = Data((0..<2_000).flatMap { _ in member })
        for _ in 0..<60 { input.fileHandleForWriting.write(chunk) }
        input.fileHandleForWriting.write(Data(TarBytes.end))
        try input.fileHandleForWriting.close()
        gzip.waitUntilExit()
        #expect(gzip.terminationStatus == 0)
        do {
            _ = try ArtifactInspector.inspect(path: path)
            Issue.record("120 000 entries were accepted")
        } catch {
            #expect(error.code == .tooManyEntries)
            #expect(error.message.contains("more than 100000 entries"))
        }
    }
}
