import Foundation
import Release
@testable import Rollout
import Testing
import TestSupport

/// Hooks and checks whose command is plain start their program without `sh` in between
/// (``DirectCommand``) under bash, and start it as `sh -c` would have; every login shell
/// (dash, bash, ksh93) passes the hook variables and the secrets.
@Suite("plain hook and check commands start without sh")
struct DirectCommandTests {
    static let shells = ["sh", "bash", "ksh93"]
    static let release = "1.0.0-aaaaaaaaaaaa"

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

    /// A release whose programs print their parent's name, whether bash runs them, the hook
    /// environment and a secret: a `#!` script, scripts the kernel refuses (no `#!`, an empty
    /// `#!` line, a missing interpreter) which `sh` must run, and one on a `PATH` with `~`.
    struct Release {
        let root: String
        let home: String
        init() throws {
            let base = NSTemporaryDirectory() + "direct-\(UUID().uuidString.prefix(8))"
            root = base + "/srv/web"
            home = base + "/home"
            let bin = root + "/releases/\(DirectCommandTests.release)/bin"
            try FileManager.default.createDirectory(atPath: bin, withIntermediateDirectories: true)
            try FileManager.default.createDirectory(atPath: home + "/xbin", withIntermediateDirectories: true)
            try FileManager.default.createDirectory(atPath: base + "/sysbin", withIntermediateDirectories: true)
            let body = "echo \"parent=$(cat /proc/$PPID/comm) bash=${BASH_VERSION:+yes} app=$CUTOVER_APP secret=$TOKEN args=$*\"\n"
            let files = [bin + "/hashbang": "#!/bin/sh\n" + body, bin + "/bare": body, bin + "/emptyline": "#!\n" + body,
                         bin + "/blank": "#!   \n" + body, home + "/xbin/svcx": "#!/bin/sh\necho from home\n",
                         base + "/sysbin/svcx": "#!/bin/sh\necho from system\n"]
            for (path, text) in files {
                try text.write(toFile: path, atomically: false, encoding: .utf8)
                try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
            }
        }
        var path: String { "~/xbin:" + (home as NSString).deletingLastPathComponent + "/sysbin:/usr/bin:/bin" }
    }

    static let secrets = "cutover_with_secrets() { (TOKEN='s3 cret'; export TOKEN; exec \"$@\"); }\n"

    @Test(arguments: shells) func aPlainHookStartsItsProgramAsShWouldWithItsEnvironment(shell: String) async throws {
        let fixture = try Release()
        let scripts = RemoteScripts(layout: HostLayout(root: fixture.root), deploy: "d-1")
        func hook(_ command: String) async throws -> String {
            let script = scripts.layout.preamble + Self.secrets + "set -e\n"
                + scripts.hook(command, in: try releaseID(Self.release), environment: ["CUTOVER_APP": "web app"]) + "\necho after=${CUTOVER_APP:-unset}"
            let result = try await Shell.runDetached([shell, "-c", script], environment: ["PATH": fixture.path, "HOME": fixture.home])
            #expect(result.status == 0, "\(result.output)")
            return result.stdout
        }
        let direct = shell == "bash"
        #expect(try await hook("./bin/hashbang a b") == "parent=\(direct ? "bash" : "sh") bash= app=web app secret=s3 cret args=a b\nafter=unset\n")
        for refused in ["bin/bare x", "bin/emptyline x", "bin/blank x"] {
            #expect(try await hook(refused) == "parent=sh bash= app=web app secret=s3 cret args=x\nafter=unset\n", "\(refused)")
        }
        #expect(try await hook("./bin/hashbang 'a b'") == "parent=sh bash= app=web app secret=s3 cret args=a b\nafter=unset\n")
        #expect(try await hook("svcx") == "from system\nafter=unset\n")
        let env = try await hook("env")
        #expect(env.contains("CUTOVER_APP=web app\n") && env.contains("TOKEN=s3 cret\n"), "\(env)")
        // A hook that fails fails the script under `set -e`, direct or not.
        let failing = try await Shell.runDetached([shell, "-c", scripts.layout.preamble + Self.secrets + "set -e\n"
            + scripts.hook("false-but-not-builtin", in: try releaseID(Self.release), environment: ["CUTOVER_APP": "x"]) + "\necho after"])
        #expect(failing.status == 127 && !failing.stdout.contains("after"), "\(failing.output)")
    }

    /// The command checks in the switch's round trip: `timeout` starts a `#!` program itself
    /// under bash; a script the kernel refuses runs through `sh -c` (musl's `execvp` would not
    /// run it); every shell passes the variables.
    @Test(arguments: shells) func inlineChecksStartPlainProgramsUnderTimeout(shell: String) async throws {
        let fixture = try Release()
        let scripts = RemoteScripts(layout: HostLayout(root: fixture.root), deploy: "d-1")
        try FileManager.default.createSymbolicLink(atPath: fixture.root + "/current", withDestinationPath: "releases/" + Self.release)
        let values = TemplateValues(host: "h1", address: "127.0.0.1")
        let commands = ["./bin/hashbang a", "bin/bare b", "svcx"]
        let inline = try #require(InlineChecks(commands.map { HealthCheck(kind: .command(try! Template(parsing: $0))) }, values: values))
        let script = scripts.layout.preamble + Self.secrets + inline.script(environment: ["CUTOVER_APP": "web app"])
        let result = try await Shell.runDetached([shell, "-c", script], environment: ["PATH": fixture.path, "HOME": fixture.home])
        #expect(inline.attempts(result.stdout).map(\.status) == [0, 0, 0], "\(result.output)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.contains("parent=\(shell == "bash" ? "timeout" : "sh") bash= app=web app secret=s3 cret args=a"), "\(lines)")
        #expect(lines.contains("parent=sh bash= app=web app secret=s3 cret args=b"), "\(lines)")
        #expect(lines.contains("from system"), "\(lines)")
    }
}
