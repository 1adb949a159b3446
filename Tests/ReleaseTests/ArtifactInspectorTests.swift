import Foundation
import Release
import Testing

@Suite struct ArtifactInspectorTests {
    let scratch = Scratch()

    /// Runs a shell command in the scratch directory and returns its standard output.
    @discardableResult
    func sh(_ command: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        process.currentDirectoryURL = URL(fileURLWithPath: scratch.path)
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: output, as: UTF8.self)
    }

    func tree() throws {
        try sh("mkdir -p app/bin app/lib && echo hi > app/bin/run && echo lib > app/lib/a.so && ln -s ../lib/a.so app/bin/link && ln app/lib/a.so app/lib/b.so")
    }

    func write(_ name: String, _ bytes: [UInt8]) -> String {
        let path = scratch.path + "/" + name
        _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
        return path
    }

    func code(_ path: String, limits: ArtifactLimits = .init()) -> ArtifactError.Code? {
        do {
            _ = try ArtifactInspector.inspect(path: path, limits: limits)
            return nil
        } catch {
            return error.code
        }
    }

    @Test func plainTarMatchesSystemTools() throws {
        try tree()
        try sh("tar -cf app.tar -C app .")
        let artifact = try ArtifactInspector.inspect(path: scratch.path + "/app.tar")
        #expect(artifact.format == .tar)
        #expect(artifact.entryCount == Int(try sh("tar -tf app.tar | wc -l").trimmingCharacters(in: .whitespacesAndNewlines)))
        #expect(artifact.sha256 == String(try sh("sha256sum app.tar").prefix(64)))
        #expect(artifact.size == Int64(try sh("stat -c %s app.tar").trimmingCharacters(in: .whitespacesAndNewlines)))
    }

    @Test func gzipTarMatchesSystemTools() throws {
        try tree()
        try sh("head -c 300000 /dev/urandom > app/blob && tar -czf web-1.4.2.tar.gz -C app .")
        let artifact = try ArtifactInspector.inspect(path: scratch.path + "/web-1.4.2.tar.gz")
        #expect(artifact.format == .tarGzip)
        #expect(artifact.entryCount == 8)
        #expect(artifact.sha256 == String(try sh("sha256sum web-1.4.2.tar.gz").prefix(64)))
        let id = try ReleaseID(version: VersionName.derive(fromArtifact: artifact.path)!, sha256: artifact.sha256)
        #expect(id.description == "1.4.2-" + artifact.sha256.prefix(12))
    }

    @Test func longNamesInGnuAndPaxFormats() throws {
        let long = String(repeating: "d", count: 120)
        try sh("mkdir -p app/\(long) && echo x > app/\(long)/\(long).txt")
        try sh("tar --format=gnu -czf gnu.tgz -C app . && tar --format=pax -cf pax.tar -C app .")
        #expect(try ArtifactInspector.inspect(path: scratch.path + "/gnu.tgz").entryCount == 3)
        #expect(try ArtifactInspector.inspect(path: scratch.path + "/pax.tar").entryCount == 3)
        try sh("tar --format=gnu -cPf evil.tar --transform 's,^,../,' -C app \(long)")
        #expect(code(scratch.path + "/evil.tar") == .parentTraversal)
    }

    @Test func rejectsAbsoluteAndTraversingNames() throws {
        try tree()
        try sh("tar -cPf abs.tar \(scratch.path)/app/bin/run")
        #expect(code(scratch.path + "/abs.tar") == .absolutePath)
        try sh("tar -czPf up.tar.gz --transform 's,^app,app/../..,' app")
        #expect(code(scratch.path + "/up.tar.gz") == .parentTraversal)
    }

    @Test func rejectsEscapingSymlinks() throws {
        try sh("mkdir -p a/b && ln -s ../../etc/passwd a/b/up && tar -cf up.tar -C a .")
        #expect(code(scratch.path + "/up.tar") == .linkEscape)
        try sh("mkdir -p c && ln -s /etc/passwd c/abs && tar -cf abs.tar -C c .")
        #expect(code(scratch.path + "/abs.tar") == .linkEscape)
        try sh("mkdir -p d/e && ln -s ../f d/e/ok && tar -cf ok.tar -C d .")
        #expect(code(scratch.path + "/ok.tar") == nil)
    }

    @Test func rejectsDevicesAndFifos() throws {
        try sh("mkdir -p f && mkfifo f/pipe && tar -cf fifo.tar -C f .")
        #expect(code(scratch.path + "/fifo.tar") == .deviceFile)
        let path = write("dev.tar", TarBytes.header("null", type: "3") + TarBytes.end)
        #expect(code(path) == .deviceFile)
    }

    @Test func hardlinksMustPointAtEarlierEntries() {
        let good = write("good.tar", TarBytes.header("a", size: 2) + TarBytes.data("hi") + TarBytes.header("b", type: "1", link: "./a") + TarBytes.end)
        #expect(code(good) == nil)
        let later = write("later.tar", TarBytes.header("b", type: "1", link: "a") + TarBytes.header("a") + TarBytes.end)
        #expect(code(later) == .linkEscape)
        let outside = write("outside.tar", TarBytes.header("b", type: "1", link: "../etc/shadow") + TarBytes.end)
        #expect(code(outside) == .linkEscape)
    }

    @Test func paxHeadersOverrideNameAndSize() throws {
        let ok = write("pax.tar", TarBytes.pax([("path", "app/real-name"), ("size", "2")]) + TarBytes.header("short", size: 999) + TarBytes.data("hi") + TarBytes.end)
        #expect(try ArtifactInspector.inspect(path: ok).entryCount == 1)
        let evil = write("evil.tar", TarBytes.pax([("path", "app/../../x")]) + TarBytes.header("harmless") + TarBytes.end)
        #expect(code(evil) == .parentTraversal)
        let link = write("link.tar", TarBytes.pax([("linkpath", "/etc/passwd")]) + TarBytes.header("l", type: "2", link: "ok") + TarBytes.end)
        #expect(code(link) == .linkEscape)
    }

    @Test func corruptAndForeignFiles() throws {
        let bad = write("bad.tar", TarBytes.header("a") + TarBytes.header("b", breakChecksum: true) + TarBytes.end)
        #expect(code(bad) == .corrupt)
        let noEnd = write("noend.tar", TarBytes.header("a", size: 2) + TarBytes.data("hi"))
        #expect(code(noEnd) == .corrupt)
        let text = write("notes.txt", Array(String(repeating: "hello world\n", count: 100).utf8))
        #expect(code(text) == .notATar)
        #expect(code(write("empty.tar", [])) == .notATar)
        #expect(code(write("short.txt", Array("hello\n".utf8))) == .notATar)
        #expect(code(scratch.path + "/missing.tar") == .unreadable)
        // The message says why, with the path as it really is (no `..` detour).
        do {
            _ = try ArtifactInspector.inspect(path: scratch.path + "/sub/../missing.tar")
            Issue.record("a missing artifact was inspected")
        } catch {
            #expect(error.message == "cannot open artifact '\(URL(fileURLWithPath: scratch.path).standardizedFileURL.path)/missing.tar': no such file", "\(error.message)")
        }
        do {
            _ = try ArtifactInspector.inspect(path: scratch.path)
            Issue.record("a directory was inspected")
        } catch {
            #expect(error.message.hasSuffix("': it is a directory"), "\(error.message)")
        }
        try tree()
        try sh("tar -czf app.tgz -C app . && head -c 60 app.tgz > cut.tgz")
        #expect(code(scratch.path + "/cut.tgz") == .corrupt)
        try sh("echo 'just some text' | gzip > text.gz")
        #expect(code(scratch.path + "/text.gz") == .notATar)
        try sh("printf '\\037\\213garbage-not-deflate' > junk.tgz")
        #expect(code(scratch.path + "/junk.tgz") == .corrupt)
    }

    @Test func limits() throws {
        try tree()
        try sh("tar -cf app.tar -C app .")
        #expect(code(scratch.path + "/app.tar", limits: ArtifactLimits(maxEntries: 3)) == .tooManyEntries)
        #expect(code(scratch.path + "/app.tar", limits: ArtifactLimits(maxUnpackedBytes: 4)) == .bomb)
        try sh("mkdir z && head -c 20000000 /dev/zero > z/zeros && tar -czf zeros.tgz -C z .")
        #expect(code(scratch.path + "/zeros.tgz") == .bomb)
        #expect(code(scratch.path + "/zeros.tgz", limits: ArtifactLimits(maxCompressionRatio: 10_000)) == nil)
    }

    @Test func errorMessagesNameTheEntry() throws {
        try sh("mkdir -p a && ln -s /etc/passwd a/pw && tar -cf a.tar -C a .")
        do {
            _ = try ArtifactInspector.inspect(path: scratch.path + "/a.tar")
            Issue.record("expected an error")
        } catch {
            #expect(error.message.contains("pw"))
            #expect(error.code.description == "linkEscape")
        }
    }
}

@Suite struct ReleaseIDTests {
    @Test func buildsAndParses() throws {
        let id = try ReleaseID(version: "1.4.2", sha256: "ABCDEF0123456789abcdef")
        #expect(id.description == "1.4.2-abcdef012345")
        #expect(ReleaseID(validating: "1.4.2-abcdef012345") == id)
        #expect(ReleaseID.isValid("2024.11.3+git.abc-0123456789ab"))
        #expect(!ReleaseID.isValid("1.4.2-ABCDEF012345"))
        #expect(!ReleaseID.isValid("1.4.2-abc"))
        #expect(!ReleaseID.isValid("-abcdef012345"))
        #expect(throws: ReleaseIDError.self) { try ReleaseID(version: "../x", sha256: "abcdef0123456789") }
        #expect(throws: ReleaseIDError.self) { try ReleaseID(version: "1.0", sha256: "xyz") }
    }
}
