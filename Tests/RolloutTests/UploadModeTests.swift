import Foundation
import Testing
import TestSupport

/// `cutover upload` on real hosts: the file keeps the local file's mode (less group and other
/// write), or takes `--mode`; a script uploaded executable stays executable.
@Suite("upload modes")
struct UploadModeTests {
    @Test func theLocalModeIsKeptAndModeOverridesIt() async throws {
        try await TestFleet.with(hosts: 1) { fleet in
            let script = fleet.directory + "/hello.sh"
            try "#!/bin/sh\necho hello\n".write(toFile: script, atomically: true, encoding: .utf8)
            chmod(script, 0o775)
            let srv = fleet.member("h1").srv
            func upload(_ extra: [String], to path: String) async throws -> Shell.Result {
                try await Shell.runDetached([RepositoryPaths.cutoverExecutable, "upload", "-i", fleet.inventoryPath, "--ssh-config", "none"]
                                            + extra + [script, "/srv/" + path])
            }
            func mode(_ path: String) async throws -> String {
                try await Shell.runDetached(["stat", "-c", "%a", srv + "/" + path]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            }
            let plain = try await upload([], to: "bin/hello.sh")
            #expect(plain.status == 0, "\(plain.output)")
            #expect(try await mode("bin/hello.sh") == "755")  // 775 less group write
            let run = try await Shell.runDetached([RepositoryPaths.cutoverExecutable, "exec", "-i", fleet.inventoryPath, "--ssh-config", "none",
                                                   "--", "/srv/bin/hello.sh"])
            #expect(run.stdout.contains("hello"), "\(run.output)")

            let given = try await upload(["--mode", "0640"], to: "etc/hello.conf")
            #expect(given.status == 0, "\(given.output)")
            #expect(try await mode("etc/hello.conf") == "640")

            let bad = try await upload(["--mode", "rwx"], to: "x")
            #expect(bad.status == 64, "\(bad.output)")
            #expect(bad.stderr.contains("--mode takes octal permission bits"), "\(bad.stderr)")
        }
    }
}
