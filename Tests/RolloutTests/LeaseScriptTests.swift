import Foundation
import Release
@testable import Rollout
import Testing
import TestSupport
import Transport

/// The lease, probe and fenced scripts a host runs, run by real shells (`dash` as `sh`, and
/// `bash`, the test hosts' login shell) on a real deploy root: what they print is what
/// ``HostState`` parses, and their exit statuses are ``RemoteExit``'s.
@Suite("lease and probe scripts on the host")
struct LeaseScriptTests {
    static let shells = ["sh", "bash"]
    static let v1 = "1.0.0-aaaaaaaaaaaa"
    static let id1 = tableReleaseID(v1)

    func root() throws -> String {
        let base = NSTemporaryDirectory() + "lease-\(UUID().uuidString.prefix(8))"
        let root = base + "/srv/web"
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        return root
    }

    func run(_ shell: String, _ script: String) async throws -> Shell.Result {
        try await Shell.runDetached([shell, "-c", script])
    }

    /// What `promote` or `abort` found, as ``PauseAnswer`` reads it from the script's status.
    func answer(_ shell: String, _ script: String) async throws -> HostAnswer {
        let run = try await run(shell, script)
        return HostAnswer(CommandResult(exitStatus: run.status, signal: nil, stdout: Array(run.stdout.utf8), stderr: Array(run.stderr.utf8),
                                        duration: .zero))
    }

    /// `promote` and `abort` say by their status what they found: an answer written for the
    /// deploy they name, nothing to answer (no deploy holds the host, or it is not paused), or a
    /// failure, which never reads as nothing to answer.
    @Test(arguments: shells) func answersSayWhetherTheyReachedAPausedDeployOrFailed(shell: String) async throws {
        let root = try root()
        let scripts = RemoteScripts(layout: HostLayout(root: root), deploy: "d-1")
        #expect(try await answer(shell, scripts.writeDecision(.promote, by: "ops")) == .nothingToAnswer("no deploy holds the lock"))
        #expect(try await answer(shell, scripts.writeAbort(by: "ops")) == .nothingToAnswer("no deploy holds the lock"))

        #expect(try await run(shell, scripts.acquireLease(owner: "alice pid 1", ttlSeconds: 600)).status == 0)
        #expect(try await answer(shell, scripts.writeDecision(.promote, by: "ops"))
                == .nothingToAnswer("d-1 is not waiting at a pause: nothing to answer"))
        #expect(!FileManager.default.fileExists(atPath: root + "/.cutover/decision"))

        #expect(try await run(shell, scripts.fenced(token: try leaseToken(1), ttlSeconds: 600, scripts.markPaused)).status == 0)
        #expect(try await answer(shell, scripts.writeDecision(.promote, by: "ops")) == .answered(deployID: "d-1"))
        #expect(try String(contentsOfFile: root + "/.cutover/decision", encoding: .utf8) == "action=promote\ndeploy=d-1\nby=ops\n")
        #expect(try await answer(shell, scripts.writeAbort(by: "ops")) == .answered(deployID: "d-1"))

        // A deploy root others may write to is refused (exit 78): a failure, not "nothing to answer".
        try FileManager.default.setAttributes([.posixPermissions: 0o770], ofItemAtPath: root + "/.cutover")
        for script in [scripts.writeDecision(.promote, by: "ops"), scripts.writeAbort(by: "ops")] {
            let failed = try await answer(shell, script)
            guard case .failed(let why) = failed else {
                Issue.record("a refused deploy root read as \(failed)")
                continue
            }
            #expect(why.hasPrefix("exit \(RemoteExit.deployRootRefused.rawValue): "), "\(why)")
            #expect(why.contains("writable by no one else"), "\(why)")
        }
    }

    /// The report's line for each answer: only an answer counts as reaching the deploy.
    @Test(arguments: [
        (HostAnswer.answered(deployID: "d-1"), DeployReport.HostFinalState.promoted, "promote sent to d-1"),
        (.nothingToAnswer("no deploy holds the lock"), .unchanged, "no deploy holds the lock"),
        (.failed("exit 78: refused"), .failed, "exit 78: refused"),
    ])
    func eachAnswerHasItsHostState(answer: HostAnswer, state: DeployReport.HostFinalState, detail: String) {
        let result = answer.result(host: "h1", action: .promote)
        #expect(result.state == state)
        #expect(result.detail == detail)
        #expect(result.cause == (state == .promoted ? .answered(deployID: "d-1") : nil))
    }

    /// Any status but 0 and nothing-to-answer is a failure, whatever the script printed (75, the
    /// lease held, too: these scripts never end so).
    @Test(arguments: [Int32(1), 2, 3, 75, 127])
    func anUnnamedStatusIsAFailure(status: Int32) {
        let result = CommandResult(exitStatus: status, signal: nil, stdout: Array("d-1\n".utf8), stderr: Array("mv: cannot move\n".utf8), duration: .zero)
        #expect(HostAnswer(result) == .failed("exit \(status): d-1: mv: cannot move"))
        let killed = CommandResult(exitStatus: nil, signal: "KILL", stdout: [], stderr: [], duration: .zero)
        #expect(HostAnswer(killed) == .failed("signal KILL"))
    }

    @Test(arguments: shells) func aLeaseIsTakenFencedExtendedAndReleased(shell: String) async throws {
        let root = try root()
        let mine = RemoteScripts(layout: HostLayout(root: root), deploy: "d-1")
        let other = RemoteScripts(layout: HostLayout(root: root), deploy: "d-2")

        let taken = try await run(shell, mine.acquireLease(owner: "alice pid 1", ttlSeconds: 600))
        #expect(taken.status == 0, "\(taken.output)")
        #expect(taken.stdout.split(separator: "\n").last == "token=1")
        for directory in ["", "/.cutover", "/.cutover/incoming", "/.cutover/releases", "/releases", "/shared"] {
            #expect(FileManager.default.fileExists(atPath: root + directory), "\(directory)")
        }

        // Another deploy is refused while the lease lives, and is shown who holds it.
        let refused = try await run(shell, other.acquireLease(owner: "bob pid 2", ttlSeconds: 600))
        #expect(RemoteExit(refused.status) == .leaseHeld, "\(refused.output)")
        #expect(HostState.lockFields(refused.stdout)["deploy"] == "d-1")

        // A fenced step runs with the lease's token, and is refused with another one.
        let fenced = try await run(shell, mine.fenced(token: try leaseToken(1), ttlSeconds: 600, "echo body ran"))
        #expect(fenced.status == 0 && fenced.stdout == "body ran\n", "\(fenced.output)")
        let fencedOff = try await run(shell, mine.fenced(token: try leaseToken(2), ttlSeconds: 600, "echo body ran"))
        #expect(RemoteExit(fencedOff.status) == .leaseLost, "\(fencedOff.output)")
        #expect(!fencedOff.stdout.contains("body ran"))

        // A lease about to expire is extended by a fenced step; nothing else in it changes.
        let lock = root + "/.cutover/lock"
        let before = try String(contentsOfFile: lock, encoding: .utf8)
        let soon = before.split(separator: "\n").map { $0.hasPrefix("expires=") ? "expires=1" : String($0) }.joined(separator: "\n") + "\n"
        try soon.write(toFile: lock, atomically: true, encoding: .utf8)
        #expect(try await run(shell, mine.fenced(token: try leaseToken(1), ttlSeconds: 600, "true")).status == 0)
        let after = try String(contentsOfFile: lock, encoding: .utf8)
        let expires = after.split(separator: "\n").first { $0.hasPrefix("expires=") }.flatMap { Int($0.dropFirst("expires=".count)) } ?? 0
        #expect(expires > Int(Date().timeIntervalSince1970) + 500)
        #expect(after.split(separator: "\n").filter { !$0.hasPrefix("expires=") } == before.split(separator: "\n").filter { !$0.hasPrefix("expires=") })

        // The probe reads the lock; releasing with another token leaves it, with ours removes it.
        let probe = mine.probe
        #expect(probe.state(try await run(shell, probe.text).stdout).lock?["token"] == "1")
        _ = try await run(shell, mine.releaseLease(token: try leaseToken(7)))
        #expect(FileManager.default.fileExists(atPath: lock))
        _ = try await run(shell, mine.releaseLease(token: try leaseToken(1)))
        #expect(!FileManager.default.fileExists(atPath: lock))
        #expect(probe.state(try await run(shell, probe.text).stdout).lock == nil)

        // The next lease carries the next fencing token.
        let again = try await run(shell, other.acquireLease(owner: "bob pid 2", ttlSeconds: 600))
        #expect(again.stdout.split(separator: "\n").last == "token=2", "\(again.output)")
    }

    @Test(arguments: shells) func theProbeReportsWhatIsOnTheHostAndNothingPassesForASection(shell: String) async throws {
        let root = try root()
        let scripts = RemoteScripts(layout: HostLayout(root: root), deploy: "d-1")
        let fm = FileManager.default
        try fm.createDirectory(atPath: root + "/releases/" + Self.v1, withIntermediateDirectories: true)
        // Names crafted to look like the probe's sections, or what follows them.
        try fm.createDirectory(atPath: root + "/releases/@journal", withIntermediateDirectories: true)
        try fm.createDirectory(atPath: root + "/releases/token=9", withIntermediateDirectories: true)
        try fm.createDirectory(atPath: root + "/releases/|x", withIntermediateDirectories: true)
        try fm.createDirectory(atPath: root + "/.cutover/releases", withIntermediateDirectories: true)
        try fm.createSymbolicLink(atPath: root + "/current", withDestinationPath: "releases/" + Self.v1)
        let sha = String(repeating: "ab", count: 32)
        try "\(sha)\n".write(toFile: root + "/.cutover/releases/\(Self.v1).sha256", atomically: true, encoding: .utf8)
        // A lock file without a final newline, whose lines try to start sections.
        try "owner=x\n@journal\n|t1 deploy=d9 step=switch to=\(Self.v1) from=\ntoken=4".write(toFile: root + "/.cutover/lock", atomically: true, encoding: .utf8)
        try "2026-01-01T00:00:00Z deploy=d1 step=extract release=\(Self.v1)\n".write(toFile: root + "/.cutover/journal", atomically: true, encoding: .utf8)
        try fm.createDirectory(atPath: root + "/slots", withIntermediateDirectories: true)
        try fm.createSymbolicLink(atPath: root + "/slots/blue", withDestinationPath: "../releases/" + Self.v1)
        try fm.createSymbolicLink(atPath: root + "/live", withDestinationPath: "slots/blue")

        let probe = scripts.probe
        let result = try await run(shell, probe.text + "\necho token=9\n")
        #expect(result.status == 0, "\(result.output)")
        let state = probe.state(result.stdout)
        #expect(state.current?.description == Self.v1)
        #expect(state.releases.map(\.description) == [Self.v1])
        #expect(state.unrecognised.contains("releases/@journal") && state.unrecognised.contains("releases/|x") && state.unrecognised.contains("releases/token=9"), "\(state.unrecognised)")
        #expect(state.lock == ["owner": "x", "token": "4"])
        #expect(state.journal.map(\.step) == [.extract])
        #expect(state.hasTar)
        #expect(state.holds(Self.id1, sha256: sha))
        #expect(state.slots == [.blue: Self.id1] && state.liveSlot == .blue)
        #expect(probe.after(result.stdout) == "token=9\n")
    }

    @Test(arguments: shells) func aDeployRootOthersCanWriteIsRefusedBeforeAnythingIsWritten(shell: String) async throws {
        let root = try root()
        let scripts = RemoteScripts(layout: HostLayout(root: root), deploy: "d-1")
        #expect(try await run(shell, scripts.acquireLease(owner: "a", ttlSeconds: 60)).status == 0)
        try FileManager.default.setAttributes([.posixPermissions: 0o777], ofItemAtPath: root + "/.cutover/incoming")
        let refused = try await run(shell, scripts.fenced(token: try leaseToken(1), ttlSeconds: 60, "echo body ran"))
        #expect(RemoteExit(refused.status) == .deployRootRefused, "\(refused.output)")
        #expect(refused.stderr.contains("/.cutover/incoming is owned by") && refused.stderr.contains("with mode 777"), "\(refused.stderr)")
        #expect(!refused.stdout.contains("body ran"))
    }

    /// The switch, its hook and the command checks in one script: a marker after each check,
    /// the first failure ends the list, and what follows the checks runs only when all passed.
    @Test(arguments: shells) func checksRunInTheSwitchsRoundTripAndStopAtTheFirstFailure(shell: String) async throws {
        let root = try root()
        let scripts = RemoteScripts(layout: HostLayout(root: root), deploy: "d-1")
        try FileManager.default.createDirectory(atPath: root + "/releases/" + Self.v1, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: root + "/.cutover", withIntermediateDirectories: true)
        let values = TemplateValues(host: "h1", address: "127.0.0.1")
        func checks(_ commands: [String], timeout: Duration = .seconds(5)) throws -> InlineChecks {
            try #require(InlineChecks(commands.map { HealthCheck(kind: .command(try! Template(parsing: $0)), timeout: timeout) }, values: values))
        }
        let secrets = "cutover_with_secrets() { (exec \"$@\"); }\n"
        func run(_ inline: InlineChecks, hook: String? = "echo hook ran", then: String? = nil) async throws -> (Shell.Result, [InlineChecks.Attempt]) {
            let script = scripts.layout.preamble + secrets + scripts.switchThenHook(to: try releaseID(Self.v1), hook: hook, environment: [:]) + "\n" + inline.script(then: then)
            let result = try await self.run(shell, script)
            return (result, inline.attempts(result.stdout))
        }

        let passing = try checks(["echo one; true", "echo '@fake 1 0'; echo two >&2", "pwd -P"])
        let (ok, okAttempts) = try await run(passing, then: "echo then ran")
        #expect(ok.status == 0, "\(ok.output)")
        #expect(okAttempts.map(\.status) == [0, 0, 0])
        #expect(okAttempts.map(\.lastLine).last?.hasSuffix("/releases/" + Self.v1) == true, "\(okAttempts)")
        #expect(passing.finished(ok.stdout) && ok.stdout.contains("then ran\n"))
        // The hook printed nothing: its marker still ends the switch's part.
        let (quiet, _) = try await run(passing, hook: "true")
        let split = HostDeployment.split(HostDeployment.before(passing.startMarker, in: quiet.stdout))
        #expect(split.hook == "" && split.switch.hasSuffix("from=\(Self.v1)"), "\(quiet.stdout)")
        // A hook whose output has no final newline, a check that prints a carriage return last:
        // the markers still stand on lines of their own and every attempt is read.
        let (glued, gluedAttempts) = try await run(passing, hook: "printf restarted")
        #expect(gluedAttempts.map(\.status) == [0, 0, 0], "\(glued.stdout)")
        #expect(HostDeployment.split(HostDeployment.before(passing.startMarker, in: glued.stdout)).hook == "restarted", "\(glued.stdout)")
        let carriage = try checks(["printf 'progress 100%%\\r'", "true"])
        let (cr, crAttempts) = try await run(carriage, hook: "printf 'done\\r'", then: "echo then ran")
        #expect(crAttempts.map(\.status) == [0, 0], "\(cr.stdout)")
        #expect(carriage.finished(cr.stdout), "\(cr.stdout)")

        let failing = try checks(["true", "echo broken; exit 3", "echo never"])
        let (bad, badAttempts) = try await run(failing, then: "echo then ran")
        #expect(bad.status == 0)
        #expect(badAttempts.map(\.status) == [0, 3])
        #expect(failing.failure(badAttempts[1], of: 1) == "`echo broken; exit 3` ended with exit 3: broken")
        #expect(!bad.stdout.contains("never") && !failing.finished(bad.stdout) && !bad.stdout.contains("then ran"))

        let slow = try checks(["sleep 5"], timeout: .milliseconds(200))
        let (late, lateAttempts) = try await run(slow)
        #expect(lateAttempts.count == 1 && slow.failure(lateAttempts[0], of: 0)?.contains("did not finish within") == true, "\(late.output)")

        // A hook that fails ends the script with its status: no check runs.
        let (hookFailed, none) = try await run(passing, hook: "exit 9")
        #expect(hookFailed.status == 9 && none.isEmpty, "\(hookFailed.output)")
    }
}
