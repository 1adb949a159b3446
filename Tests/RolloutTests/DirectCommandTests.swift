import Foundation
@testable import Rollout
import Testing
import TestSupport

/// Hooks and checks whose command is plain start their program without `sh` in between
/// (``DirectCommand``), and start it as `sh -c` would have.
@Suite("plain hook and check commands start without sh")
struct DirectCommandTests {
    static let shells = ["sh", "bash"]

    @Test(arguments: [
        ("./bin/restart", true), ("bin/restart --fast now", true), ("/usr/bin/systemctl restart web.service", true),
        ("curl -fsS http://127.0.0.1:8080/health", true), ("  ./bin/x\targ  ", true), ("pg_isready -p 5432 -U app@db", true),
        ("echo hi", false), ("test -s VERSION", false), ("true", false), ("cd /tmp", false), ("exec ./x", false),
        ("A=1 ./bin/x", false), ("./bin/x > log", false), ("./bin/x &", false), ("./a; ./b", false), ("./a && ./b", false),
        ("./bin/x $HOME", false), ("./bin/x 'q'", false), ("./bin/x \"q\"", false), ("./bin/x *", false), ("./bin/x ~", false),
        ("./bin/x # c", false), ("./bin/x\n./bin/y", false), ("./bin/x `id`", false), ("./bin/x $(id)", false),
        ("{ ./x; }", false), ("if", false), ("", false), ("   ", false), ("-x", false), ("./bin/x a\\ b", false),
    ])
    func whichCommandsArePlain(command: String, plain: Bool) {
        #expect((DirectCommand(command) != nil) == plain, "\(command)")
    }

    /// A release with three hooks: an ELF program by path and one found on `PATH`, a `#!`
    /// script, and a script without `#!` (which `sh` runs as a shell script: it must not be
    /// run by bash). Each prints its parent's name, the hook environment and a secret.
    @Test(arguments: shells) func aPlainHookStartsItsProgramAsShWouldWithItsEnvironment(shell: String) async throws {
        let root = NSTemporaryDirectory() + "direct-\(UUID().uuidString.prefix(8))/srv/web"
        let release = root + "/releases/1.0.0-aaaaaaaaaaaa"
        try FileManager.default.createDirectory(atPath: release + "/bin", withIntermediateDirectories: true)
        let body = "echo \"parent=$(cat /proc/$PPID/comm) bash=${BASH_VERSION:+yes} app=$CUTOVER_APP secret=$TOKEN args=$*\"\n"
        try ("#!/bin/sh\n" + body).write(toFile: release + "/bin/hashbang", atomically: false, encoding: .utf8)
        try body.write(toFile: release + "/bin/bare", atomically: false, encoding: .utf8)
        for name in ["hashbang", "bare"] {
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: release + "/bin/" + name)
        }
        let scripts = RemoteScripts(layout: HostLayout(root: root), deploy: "d-1")
        let secrets = "cutover_with_secrets() { (TOKEN='s3 cret'; export TOKEN; exec \"$@\"); }\n"
        func hook(_ command: String) async throws -> String {
            let script = scripts.layout.preamble + secrets + scripts.hook(command, in: "1.0.0-aaaaaaaaaaaa", environment: ["CUTOVER_APP": "web app"])
            let result = try await Shell.runDetached([shell, "-c", script])
            #expect(result.status == 0, "\(result.output)")
            return result.stdout
        }
        let direct = shell == "bash"
        #expect(try await hook("./bin/hashbang a b") == "parent=\(direct ? "bash" : "sh") bash= app=web app secret=s3 cret args=a b\n")
        #expect(try await hook("bin/bare x") == "parent=sh bash= app=web app secret=s3 cret args=x\n")
        #expect(try await hook("./bin/hashbang 'a b'") == "parent=sh bash= app=web app secret=s3 cret args=a b\n")
        let env = try await hook("env")
        #expect(env.contains("CUTOVER_APP=web app\n") && env.contains("TOKEN=s3 cret\n"), "\(env)")
        // A hook that fails fails the script, direct or not; one that is missing says so.
        let failing = try await Shell.runDetached([shell, "-c", scripts.layout.preamble + secrets + "set -e\n"
            + scripts.hook("false-but-not-builtin", in: "1.0.0-aaaaaaaaaaaa", environment: [:]) + "\necho after"])
        #expect(failing.status == 127 && !failing.stdout.contains("after"), "\(failing.output)")
    }

    /// Under `timeout`, a plain check's program is started by `timeout` itself, which finds and
    /// runs it as `sh` does (a script without `#!` included).
    @Test func timeoutStartsAPlainCheckAsShWould() async throws {
        let dir = NSTemporaryDirectory() + "direct-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try "echo \"bash=${BASH_VERSION:+yes} args=$*\"\nexit 3\n".write(toFile: dir + "/bare", atomically: false, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: dir + "/bare")
        let bare = try await Shell.runDetached(["bash", "-c", "cd \(dir) && timeout -k 1 5 \(InlineChecks.program("./bare x y"))"])
        #expect(bare.status == 3 && bare.stdout == "bash= args=x y\n", "\(bare.output)")
        #expect(InlineChecks.program("./bare x y") == "./bare x y")
        #expect(InlineChecks.program("./bare > log") == "sh -c './bare > log'")
        // (That `timeout` still bounds it is tested on real hosts: HealthCheckTests.)
    }
}
