import Foundation
import Release
import Testing

/// The build time the ledger's lead time starts from, read while the artifact is validated.
@Suite struct ArtifactBuildTimeTests {
    let scratch = Scratch()

    /// Packs `files` (name → contents) with every mtime set to `mtime` (Unix seconds), with the system tar.
    func pack(_ files: [String: String], mtime: Int, gzip: Bool = true) throws -> String {
        let directory = scratch.path + "/app-\(UUID().uuidString)"
        for (name, text) in files {
            let path = directory + "/" + name
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        }
        let archive = directory + (gzip ? ".tar.gz" : ".tar")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/tar")
        process.arguments = [gzip ? "-czf" : "-cf", archive, "--mtime=@\(mtime)", "-C", directory, "."]
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        return archive
    }

    @Test func stampFileWins() throws {
        let path = try pack([".cutover-build": "2026-11-20T10:00:00Z\n", "bin/run": "x"], mtime: 1_700_000_000)
        let time = try #require(try ArtifactInspector.inspect(path: path).buildTime)
        #expect(time.source == .stampFile)
        #expect(time.date == Date(timeIntervalSince1970: 1_795_168_800))
    }

    @Test func stampInUnixSecondsAndWithFractions() throws {
        let seconds = try pack([".cutover-build": "1795168800", "a": "x"], mtime: 0, gzip: false)
        #expect(try ArtifactInspector.inspect(path: seconds).buildTime == ArtifactBuildTime(date: Date(timeIntervalSince1970: 1_795_168_800), source: .stampFile))
        #expect(ArtifactBuildTime.parse("2026-11-20T11:00:00.500+01:00") == Date(timeIntervalSince1970: 1_795_168_800.5))
        #expect(ArtifactBuildTime.parse("yesterday") == nil)
        #expect(ArtifactBuildTime.parse("") == nil)
    }

    @Test func newestMemberTimeWithoutStamp() throws {
        let path = try pack(["bin/run": "x", "VERSION": "1.0"], mtime: 1_795_168_800)
        let time = try #require(try ArtifactInspector.inspect(path: path).buildTime)
        #expect(time.source == .newestEntry)
        #expect(time.date == Date(timeIntervalSince1970: 1_795_168_800))
    }

    @Test func zeroedTimesAndBadStampsGiveNoBuildTime() throws {
        // Reproducible packers that zero times say nothing about when the build ran.
        let zeroed = try pack(["bin/run": "x"], mtime: 0)
        #expect(try ArtifactInspector.inspect(path: zeroed).buildTime == nil)
        // An unreadable stamp falls back to the member times (here zeroed too).
        let bad = try pack([".cutover-build": "not a time", "bin/run": "x"], mtime: 0)
        #expect(try ArtifactInspector.inspect(path: bad).buildTime == nil)
        // A stamp deeper in the tree is just a file.
        let nested = try pack(["sub/.cutover-build": "2026-11-20T10:00:00Z", "bin/run": "x"], mtime: 0)
        #expect(try ArtifactInspector.inspect(path: nested).buildTime == nil)
    }
}
