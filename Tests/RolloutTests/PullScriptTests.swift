import Foundation
@testable import Rollout
import Testing
import TestSupport

/// The host side of `distribution: pull`, run by the real `sh` with the real curl and wget
/// against a real nginx: the URL arrives on stdin (nginx sees the token, demanded for the
/// store), the file lands at the incoming path only with the right sha256, and each way of
/// failing (no downloader, 404, other bytes) leaves nothing behind and says why.
@Suite("pull script on the host", .timeLimit(.minutes(2)))
struct PullScriptTests {
    static let token = "tok-5b1e9c"

    @Test func curlThenWgetThenNeither() async throws {
        let base = NSTemporaryDirectory() + "pull-\(UUID().uuidString.prefix(8))"
        defer { try? FileManager.default.removeItem(atPath: base) }
        let store = base + "/store", corrupt = base + "/corrupt", incoming = base + "/srv/.cutover/incoming"
        try FileManager.default.createDirectory(atPath: store, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: corrupt, withIntermediateDirectories: true)
        var bytes = Data(count: 300_000)
        for index in bytes.indices { bytes[index] = UInt8.random(in: 0...255) }
        try bytes.write(to: URL(fileURLWithPath: store + "/1.0.0-x.tar.gz"))
        try Data("other bytes".utf8).write(to: URL(fileURLWithPath: corrupt + "/1.0.0-x.tar.gz"))
        let digest = String(try Shell.run(["sha256sum", store + "/1.0.0-x.tar.gz"]).stdout.prefix(64))
        let nginx = try await NginxStore.start(in: base + "/nginx", store: store, corrupt: corrupt, token: Self.token)
        defer { nginx.stop() }
        let script = PullScript(incoming: incoming + "/\(digest).tar.gz", sha256: digest, size: Int64(bytes.count), seconds: 30)

        // Tool sets: PATH directories holding only what the script may use, with or without a downloader.
        func tools(_ names: [String]) throws -> String {
            let directory = base + "/bin-" + (names.filter { ["curl", "wget"].contains($0) }.joined(separator: "-"))
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            for name in names + ["mkdir", "sha256sum", "mv", "rm", "wc", "timeout"] {
                let target = try #require(["/usr/bin/", "/bin/"].map { $0 + name }.first { FileManager.default.isExecutableFile(atPath: $0) })
                try? FileManager.default.createSymbolicLink(atPath: directory + "/" + name, withDestinationPath: target)
            }
            return directory
        }
        func run(_ path: String, _ url: String) async throws -> PullOutcome {
            let result = try await Shell.runDetached(["/bin/sh", "-c", script.command], environment: ["PATH": path], input: url + "\n")
            #expect(result.status == 0, "\(result.output)")
            #expect(!result.output.contains(Self.token), "the script printed the token: \(result.output)")
            let leftovers = (try? FileManager.default.contentsOfDirectory(atPath: incoming).filter { $0.hasPrefix(".pull-") }) ?? []
            #expect(leftovers.isEmpty, "\(leftovers)")
            return PullOutcome.parse(result.stdout, expectedSHA256: digest)
        }
        let signed = "\(nginx.base)/releases/1.0.0-x.tar.gz?token=\(Self.token)"

        for tool in ["curl", "wget"] {
            try? FileManager.default.removeItem(atPath: incoming)
            #expect(try await run(try tools([tool]), signed) == .pulled(tool: tool, bytes: Int64(bytes.count)))
            #expect(FileManager.default.contents(atPath: incoming + "/\(digest).tar.gz") == bytes, "\(tool): byte for byte")
            try FileManager.default.removeItem(atPath: incoming + "/\(digest).tar.gz")

            let missing = try await run(try tools([tool]), "\(nginx.base)/missing/1.0.0-x.tar.gz")
            #expect(missing == .failed(tool == "curl" ? "curl exit 22, HTTP 404" : "wget got an HTTP error (exit 8)"))
            let forbidden = try await run(try tools([tool]), "\(nginx.base)/releases/1.0.0-x.tar.gz?token=wrong")
            #expect(forbidden == .failed(tool == "curl" ? "curl exit 22, HTTP 403" : "wget got an HTTP error (exit 8)"))
            let other = try await run(try tools([tool]), "\(nginx.base)/corrupt/1.0.0-x.tar.gz")
            guard case .failed(let why) = other else { Issue.record("other bytes were accepted"); continue }
            #expect(why.hasPrefix("\(tool) fetched bytes whose sha256 is ") && why.hasSuffix("not \(digest)"), "\(why)")
            #expect(!FileManager.default.fileExists(atPath: incoming + "/\(digest).tar.gz"))
        }
        #expect(try await run(try tools([]), signed) == .failed("the host has neither curl nor wget"))
        // Both downloaders asked with the token, which nginx only had from their stdin.
        #expect(nginx.requests.filter { $0.contains("token=\(Self.token)") && $0.contains(" 200 ") }.count == 2, "\(nginx.requests)")
    }

    /// A store that sends no length and never stops (curl honours `--max-filesize` only for a
    /// declared length; wget has no limit): under dash and bash, curl and wget are stopped at
    /// the size cap, nothing is left in `incoming`, and the host says why. Without the cap each
    /// would write the server's 64 MiB and fail only at the sha256.
    @Test(arguments: ["/bin/sh", "/bin/bash"])
    func aStoreThatNeverStopsIsCutOffAtTheSizeCap(shell: String) async throws {
        let base = NSTemporaryDirectory() + "pull-cap-\(UUID().uuidString.prefix(8))"
        defer { try? FileManager.default.removeItem(atPath: base) }
        let incoming = base + "/srv/.cutover/incoming"
        let server = try HostileHTTPServer(address: "127.0.0.1", answer: .endless(limit: 64 << 20))
        defer { server.stop() }
        let digest = String(repeating: "ab", count: 32)
        let script = PullScript(incoming: incoming + "/\(digest).tar.gz", sha256: digest, size: 300_000, seconds: 30)
        for tool in ["curl", "wget"] {
            // Only this downloader on PATH (and what the script uses besides).
            let directory = base + "/bin-" + tool
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            for name in [tool, "mkdir", "sha256sum", "mv", "rm", "wc", "timeout"] {
                let target = try #require(["/usr/bin/", "/bin/"].map { $0 + name }.first { FileManager.default.isExecutableFile(atPath: $0) })
                try FileManager.default.createSymbolicLink(atPath: directory + "/" + name, withDestinationPath: target)
            }
            let result = try await Shell.runDetached([shell, "-c", script.command], environment: ["PATH": directory], input: server.url("/releases/x.tar.gz") + "\n")
            #expect(result.status == 0, "\(result.output)")
            let outcome = PullOutcome.parse(result.stdout, expectedSHA256: digest)
            // Where SIGXFSZ keeps its default (dash here) the downloader dies of it (exit 153);
            // bash ignores it, and so do its children: the write fails (curl 23, wget 3).
            let capped = ["153", tool == "curl" ? "23" : "3"].map { PullOutcome.failed("\(tool) was sent more bytes than the artifact has (stopped at the size cap, exit \($0))") }
            #expect(capped.contains(outcome), "\(shell) \(tool): \(outcome)")
            let leftovers = (try? FileManager.default.contentsOfDirectory(atPath: incoming)) ?? []
            #expect(leftovers.isEmpty, "\(shell) \(tool): \(leftovers)")
        }
    }

    @Test func hostileOutputIsNeverASuccess() {
        let sha = String(repeating: "a", count: 64)
        #expect(PullOutcome.parse("", expectedSHA256: sha) == .failed("the host's download script said nothing"))
        #expect(PullOutcome.parse("pull=ok tool=curl", expectedSHA256: sha) == .failed("the host's download script said nothing"))
        #expect(PullOutcome.parse("pull=ok tool=evil bytes=5\n", expectedSHA256: sha) == .pulled(tool: "the downloader", bytes: 5))
        #expect(PullOutcome.parse("pull=failed tool=curl exit=28 http=000", expectedSHA256: sha) == .failed("curl timed out (exit 28)"))
        #expect(PullOutcome.parse("pull=mismatch tool=wget sha256=$(rm -rf /)", expectedSHA256: sha)
                == .failed("wget fetched bytes whose sha256 is unknown, not \(sha)"))
    }
}
