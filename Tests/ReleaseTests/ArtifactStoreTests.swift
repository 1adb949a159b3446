import Foundation
import Release
import Testing

/// The directory store: names carry the sha256, lookups by release id or sha256, atomic adds.
@Suite struct ArtifactStoreTests {
    @Test func addFindAndRefuse() throws {
        let scratch = Scratch()
        let file = scratch.write("web-1.0.0.tar", "not really a tar, bytes are bytes")
        let other = scratch.write("web-1.0.1.tar", "other bytes")
        try FileManager.default.createDirectory(atPath: scratch.path + "/store", withIntermediateDirectories: true)
        let store = ArtifactStore(directory: scratch.path + "/store")
        let sha = "f0f95a93e2c7bcb8bd6d3c2b1a5c2a3b7f12d0f3f5d1ec5f8a0c79f4a0a8b2b1"  // not the file's: refused
        #expect(throws: ArtifactStoreError.self) { try store.add(file, version: "1.0.0", sha256: sha, gzip: false) }
        #expect(try store.artifacts().isEmpty, "a refused add leaves nothing behind")
        #expect(try FileManager.default.contentsOfDirectory(atPath: store.directory).isEmpty)

        let real = try digest(file)
        let path = try store.add(file, version: "1.0.0", sha256: real, gzip: false)
        #expect(path == store.directory + "/1.0.0-\(real).tar")
        #expect(try store.add(file, version: "1.0.0", sha256: real, gzip: false) == path, "adding it again changes nothing")
        try store.add(other, version: "1.0.1", sha256: try digest(other), gzip: false)

        #expect(try store.find("1.0.0-" + real.prefix(12)).path == path)
        #expect(try store.find(real).version == "1.0.0")
        #expect(try store.find(real.uppercased()).sha256 == real)
        #expect(throws: ArtifactStoreError.self) { try store.find("1.0.0-000000000000") }
        #expect(throws: ArtifactStoreError.self) { try store.find("../../etc/passwd") }
        // The same bytes stored under two versions: the release id tells them apart, the sha256 does not.
        try store.add(file, version: "1.0.0-rc1", sha256: real, gzip: false)
        #expect(try store.find("1.0.0-rc1-" + real.prefix(12)).version == "1.0.0-rc1")
        #expect(throws: ArtifactStoreError.self) { try store.find(real) }
    }

    func digest(_ path: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
        process.arguments = [path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        process.waitUntilExit()
        return String(decoding: pipe.fileHandleForReading.readDataToEndOfFile().prefix(64), as: UTF8.self)
    }
}
